# . with arguments sets the positional parameters for the file
echo 'echo "args: $# $1"' > a.sh
set -- outer
. ./a.sh inner1 inner2
echo "back: $# $1"
