# file tests
# needs: mkdir ln
mkdir dir
echo data > file
: > empty
ln -s file link
t() { if test "$@"; then echo "yes: $*"; else echo "no: $*"; fi; }
t -e file
t -e nofile
t -f file
t -f dir
t -d dir
t -s file
t -s empty
t -r file
t -w file
t -x file
t -L link
t -h file
t file -ef link
t -t 0
