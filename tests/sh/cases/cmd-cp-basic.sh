# cp: a file, into a directory, several files, -r trees, and refusals
# needs: cp mkdir cat ls find sort
echo one > a
mkdir dir
cp a b && cat b
cp a dir && cat dir/a
echo two > c
cp a c dir && ls dir
mkdir -p tree/sub && echo deep > tree/sub/f
cp -r tree copy && cat copy/sub/f
cp -r tree dir && find dir | sort
cp tree x; echo "status $?"
cp a a; echo "status $?"
cp missing x; echo "status $?"
cp a c nowhere; echo "status $?"
cp; echo "status $?"
cp a; echo "status $?"
