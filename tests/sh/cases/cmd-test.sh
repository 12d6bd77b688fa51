# /bin/test and /bin/[: strings, integers, files, ! -a -o and parentheses
# needs: test [ touch mkdir
touch file
mkdir dir
t() { "$@"; echo "$? <- $*"; }
t /bin/test abc = abc
t /bin/test abc != abc
t /bin/test -z ''
t /bin/test -n ''
t /bin/test 10 -gt 9
t /bin/test -5 -lt 3
t /bin/test 007 -eq 7
t /bin/test -f file
t /bin/test -d file
t /bin/test -e missing
t /bin/test -d dir -a -f file
t /bin/test -d file -o -f file
t /bin/test ! -e missing
t /bin/test '(' -n x ')'
t /bin/test
t /bin/test x
t '/bin/[' 1 -lt 2 ']'
t '/bin/[' a = b ']'
