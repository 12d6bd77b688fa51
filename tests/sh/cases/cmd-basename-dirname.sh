# basename and dirname: suffixes, slashes, -a, -s
# needs: basename dirname
basename /usr/lib/libc.so .so
basename /usr/lib/
basename dir/file.txt .txt
basename .txt .txt
basename /
basename -a a/b c/d
basename -s .c x.c y.c
dirname /usr/lib/libc.so
dirname file
dirname /
dirname //x a/b/ a
basename; echo "status $?"
basename a b c; echo "status $?"
dirname; echo "status $?"
