# uname and hostname: one line each; option errors
# needs: uname hostname wc
uname | wc -l
uname -a | wc -l
hostname | wc -l
uname -x; echo "status $?"
uname extra; echo "status $?"
