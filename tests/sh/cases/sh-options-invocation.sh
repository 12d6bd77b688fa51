# options given to sh itself
# needs: sed
sh -ec 'echo one; false; echo never'
echo "status $?"
sh -uc 'echo ${undefined_q}' 2>&1 | sed 's/^[^:]*: [0-9]*: //'
sh -xc 'echo traced' 2>&1
sh -fc 'echo *'
sh -c -e 'false; echo never' ; echo "status $?"
sh -c 'echo "$-"'
sh -ce 'echo "$-"'
