# sh -c with a name and arguments
# needs: sed
sh -c 'echo "$0 $# $1 $2"' myname a b
sh -c 'echo "[$0]"' 2>&1 | sed 's#.*/##'
sh -c 'echo "$@"' name x y z
sh -c 'nosuch_zz' myscript 2>&1
sh -c 'exit 4'; echo $?
