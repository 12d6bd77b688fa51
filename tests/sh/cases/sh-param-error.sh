# ${x:?word} stops a non-interactive shell with a message
x=ok
echo ${x:?not shown}
(echo ${unset_v?custom message}; echo never)
echo "status $?"
(e=; echo ${e:?})
echo "status $?"
(echo ${unset_v?})
echo "status $?"
echo ${unset_w:?final}
echo never
