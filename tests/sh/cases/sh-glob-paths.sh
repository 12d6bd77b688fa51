# patterns across directories
# needs: mkdir
mkdir -p d1/sub d2
: > d1/x.c; : > d1/y.h; : > d2/z.c; : > d1/sub/w.c
echo */*.c
echo d*/
echo */sub/*
echo d1/*
cd d1 && echo * && echo ../d2/*
