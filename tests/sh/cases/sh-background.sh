# & runs a command in the background; $! is its pid
# needs: sleep
# needs: cat
sleep 0.2 &
pid=$!
[ "$pid" -gt 0 ] && echo have-pid
wait $pid
echo "waited: $?"
(exit 3) &
wait $!
echo "status $?"
echo first > bgout &
wait
cat bgout
{ echo grouped; } > g &
wait; cat g
f() { echo "function in background"; }
f > fb &
wait; cat fb
