# ln: hard links, symbolic links, -f, into a directory, errors
# needs: ln stat cat mkdir ls sed
echo data > f
ln f h && stat -c %h f
ln -s f s && cat s
ln -s f s; echo "status $?"
ln -sf h s && ls -l s | sed 's/.* -> //'
mkdir d
ln -s ../f d && cat d/f
ln missing x; echo "status $?"
ln d dl; echo "status $?"
ln -s /nonexistent dangling && ls -l dangling | sed 's/.* -> //'
