# what a child shell inherits: options, $?, $!, positional parameters, traps ignored
# needs: cat sleep
set -- a 'b c'
set -u
false
( echo "status in sub: $?"; echo "$# [$2]"; echo "[$-]" )
set +u
sleep 0 &
bg=$!
(echo "bg same: $([ "$!" = "$bg" ] && echo yes)")
trap '' USR1
(trap) | cat
f() { echo "depth ok"; return 4; }
(f; echo "after return in sub: $?")
for i in 1 2; do (break); echo "loop $i"; done
