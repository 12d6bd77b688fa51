# grep: several files, -l -L -h -H -s, directories, missing files
# needs: grep mkdir printf
printf 'hello\n' > one
printf 'bye\n' > two
mkdir d
grep hello one two
grep -l hello one two
grep -L hello one two
grep -h e one two
grep -H hello one
grep hello one missing; echo "status $?"
grep -s hello missing; echo "status $?"
grep -q hello missing one; echo "status $?"
grep hello d; echo "status $?"
grep -c e one two
