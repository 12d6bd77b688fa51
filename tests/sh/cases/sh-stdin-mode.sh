# commands read from standard input
# mode: stdin
# args: a b
echo "from stdin: $# $1"
x=1
if [ $x = 1 ]; then
  echo multi-line-construct
fi
nosuch_zz_cmd
echo "status $?"
