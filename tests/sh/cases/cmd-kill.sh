# /bin/kill: signals by name and number to background jobs, and the job's status
# compare: stdout status
# needs: kill sleep
sleep 10 &
/bin/kill $!
wait $!; echo "status $?"
sleep 10 &
/bin/kill -s HUP $!
wait $!; echo "status $?"
sleep 10 &
/bin/kill -9 $!
wait $!; echo "status $?"
sleep 10 &
/bin/kill -KILL $!
wait $!; echo "status $?"
/bin/kill -0 $$; echo "status $?"
