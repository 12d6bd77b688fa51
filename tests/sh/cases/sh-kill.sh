# kill builtin
# needs: sleep
sleep 5 &
p=$!
kill $p
wait $p
echo "status $?"
sleep 5 &
kill -s KILL $!
wait $!
echo "status $?"
kill -l 143
kill -l 9
kill -0 $$ && echo self-exists
kill 999999
echo "status $?"
