# cp -p keeps modes and times; without it a copy gets a new time and the mode less the umask
# needs: cp touch chmod stat
echo data > f
chmod 751 f
touch -d '2005-05-05 05:05:05' f
cp -p f kept
cp f plain
stat -c '%a %Y' kept
stat -c '%a' plain
[ "$(stat -c %Y plain)" != "$(stat -c %Y f)" ] && echo newer
