# ls: missing operands are reported (status 2) and the rest is listed
# needs: ls touch
touch here
ls here missing; echo "status $?"
ls missing1 missing2; echo "status $?"
ls -y; echo "status $?"
