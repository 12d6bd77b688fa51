# tail -f: prints what is appended to the file until it is killed
# compare: stdout status
# needs: tail sleep cat kill
echo first > log
tail -f -s 0.1 log > out &
follower=$!
sleep 1
echo second >> log
sleep 1
/bin/kill $follower
wait $follower; echo "status $?"
cat out
