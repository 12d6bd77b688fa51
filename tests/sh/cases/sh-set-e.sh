# set -e: the shell exits when a command fails
set -e
echo start
true
false
echo never
