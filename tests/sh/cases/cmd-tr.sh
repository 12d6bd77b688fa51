# tr: translation, ranges, classes, -d, -s, -c, SET2 padding, [c*]
# needs: tr printf
printf 'Hello, World!\n' | tr a-z A-Z
printf 'Hello, World!\n' | tr '[:upper:]' '[:lower:]'
printf 'hello\n' | tr -d l
printf 'aabbccdd\n' | tr -s a-c
printf 'hello world\n' | tr -cd 'a-z\n'
printf 'abc\n' | tr abc x
printf 'abcd\n' | tr -t abcd xy
printf 'a b\tc\n' | tr '[:space:]' '_'
printf 'abcdef\n' | tr a-f 'x[y*2]z'
printf 'path/to/file\n' | tr / '\n'
printf 'x  y   z\n' | tr -s ' '
