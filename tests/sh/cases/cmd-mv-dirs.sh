# mv: a directory onto a non-empty one fails; onto an empty one replaces it
# needs: mv mkdir touch ls
mkdir -p a b/a c
touch a/f b/a/g
mv a b; echo "status $?"
mv a c && ls c/a
mkdir t
touch file
mv file t/../t && ls t
