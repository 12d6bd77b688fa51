# cat: a directory is an error, the other files are still copied
# needs: cat mkdir
mkdir d
echo hi > f
cat d f; echo "status $?"
cat -n f f
