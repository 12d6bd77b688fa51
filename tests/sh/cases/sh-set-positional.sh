# set -- and set args
set -- a b c
echo "$# $*"
set --
echo "$#"
set x y
echo "$# $1"
set -- -v
echo "$1"
set - z
echo "$1 $-"
