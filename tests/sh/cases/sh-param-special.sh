# $? $# $0 $$ $! $-
# needs: sleep
# args: one two
echo "$# $1 $2"
false; echo $?
echo ${0##*/}
[ "$$" -gt 0 ] && echo pid-ok
echo "[${!-none}]"
sleep 0 &
[ "$!" -gt 0 ] && echo bg-pid-ok
wait
echo "[$-]"
set -u; echo "[$-]"; set +u
