# seq: integers, steps, decimals, -w, -s, -f, errors
# needs: seq
seq 3
seq 2 4
seq 10 -3 1
seq 1 0.5 3
seq 0 0.1 0.3
seq -w 8 11
seq -s, 5
seq -f '%03g' 3
seq 5 1
seq -- -2 0
seq 1 0 3; echo "status $?"
seq x; echo "status $?"
seq; echo "status $?"
