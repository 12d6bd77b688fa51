# sleep: whole and fractional seconds, suffixes, errors
# needs: sleep
sleep 0.1; echo "status $?"
sleep 0.05s 0.05; echo "status $?"
sleep 0m; echo "status $?"
sleep x; echo "status $?"
sleep; echo "status $?"
sleep -1; echo "status $?"
