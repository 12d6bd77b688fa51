# a function's positional parameters are its own
# needs: sed cat
set -- outer1 outer2
f() { echo "$# $1 $2"; set -- changed; echo "$1"; }
f a b
echo "$# $1 $2"
g() { echo "count $#"; for a; do echo "[$a]"; done; }
g "x y" "" z
h() { echo "$0"; }
h | sed 's#.*/##'
