# exit in a subshell ends only the subshell
(exit 3)
echo "status $?"
(echo before; exit 4; echo never)
echo "status $?"
( (exit 5) ; echo "inner $?"; exit 6)
echo "status $?"
