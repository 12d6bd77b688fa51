# sed: script errors (status 1), missing input (status 2)
# needs: sed printf
printf 'a\n' > f
sed 's/a/b' f; echo "status $?"
sed 'k' f; echo "status $?"
sed '/x' f; echo "status $?"
sed 's/a/b/x' f; echo "status $?"
sed 'y/ab/c/' f; echo "status $?"
sed p missing f; echo "status $?"
sed '{p' f; echo "status $?"
