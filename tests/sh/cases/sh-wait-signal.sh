# wait is interrupted by a trapped signal
# needs: sleep
trap 'echo trapped' USR1
sleep 2 &
long=$!
(sleep 0.2; kill -USR1 $$) &
wait $long
echo "wait returned $?"
kill $long 2>/dev/null
wait
