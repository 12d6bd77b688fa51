# rmdir: empty directories, -p for parents, errors
# needs: rmdir mkdir touch ls
mkdir -p a/b/c e
rmdir e && echo gone
rmdir -p a/b/c && ls
mkdir -p full/sub && touch full/f
rmdir full; echo "status $?"
rmdir -p full/sub; echo "status $?"
rmdir missing; echo "status $?"
touch file
rmdir file; echo "status $?"
