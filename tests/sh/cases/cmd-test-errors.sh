# /bin/test and /bin/[: syntax errors give status 2
# needs: test [
/bin/test 1 -eq a; echo "status $?"
/bin/test a b; echo "status $?"
/bin/test a b c; echo "status $?"
/bin/test a b c d e; echo "status $?"
'/bin/[' 1 = 1; echo "status $?"
/bin/test -x; echo "status $?"
