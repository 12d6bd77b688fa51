# a subshell resets caught traps but keeps ignored ones
# needs: grep
trap 'echo caught' USR1
trap '' USR2
(kill -USR2 $$; echo "usr2 ignored in subshell")
sh -c 'kill -USR2 $$; echo "usr2 ignored in child"'
(trap 'echo sub caught' USR1; kill -USR1 $$ ; true)
echo "trap output in subshell:"
(trap) | grep -c USR1
