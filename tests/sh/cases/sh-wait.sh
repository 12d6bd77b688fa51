# wait for several jobs and for a given pid
# needs: sleep
(sleep 0.3; exit 4) &
a=$!
(sleep 0.1; exit 5) &
b=$!
wait $b; echo "b: $?"
wait $a; echo "a: $?"
sleep 0.1 & sleep 0.1 &
wait
echo "all: $?"
wait 12345
echo "unknown pid: $?"
