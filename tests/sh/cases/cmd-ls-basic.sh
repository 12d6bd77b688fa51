# ls: one name per line when not a terminal, sorting, -a -A -1 -d, files before directories
# needs: ls mkdir touch
mkdir -p dir/sub other
touch b a c .hidden dir/x dir/.y
ls
ls -a
ls -A
ls -1 dir
ls -a dir
ls -d dir other
ls c a dir b
ls dir other
