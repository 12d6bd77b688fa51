# shift
set -- a b c d
shift
echo "$# $1"
shift 2
echo "$# $1"
shift 0
echo "$#"
f() { shift; echo "$@"; }
f 1 2 3
shift 5
echo never
