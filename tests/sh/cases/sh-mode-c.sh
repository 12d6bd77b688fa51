# the script given with sh -c, with a name and arguments
# mode: c
# args: a1 a2
echo "$0 $# $1 $2"
nosuch_cmd_c
echo "status $?"
set -- "$@" a3; echo $#
