# errors in special builtins stop the shell
(shift 3; echo never)
echo "status $?"
(set -Z; echo never)
echo "status $?"
(export 'bad name=1'; echo never)
echo "status $?"
(readonly r=1; unset r; echo never)
echo "status $?"
(exit foo; echo never)
echo "status $?"
(. /nonexistent/file; echo never)
echo "status $?"
(cd /nonexistent; echo "cd is a regular builtin: $?")
