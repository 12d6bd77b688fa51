# a child killed by a signal: status 128+n, and dash's message
sh -c 'kill -9 $$'
echo "status $?"
sh -c 'kill -TERM $$'
echo "status $?"
sh -c 'kill -INT $$'
echo "status $?"
sh -c 'kill -USR1 $$'
echo "status $?"
