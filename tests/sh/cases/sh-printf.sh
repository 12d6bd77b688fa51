# printf formats
printf '%s\n' hello
printf '%s-%s\n' a b c
printf '%d|%5d|%-5d|%05d\n' 42 42 42 42
printf '%x %X %o %u\n' 255 255 8 7
printf '%c%c\n' abc d
printf '%.2s|%10s|%-10s|\n' abcdef right left
printf '%b\n' 'a\tb' 'c\0101'
printf 'no newline'; echo
printf '%%\n'
printf '%d\n' "'A"
printf '%s\n'
printf '\101\102\n'
printf '%5.1f|%e\n' 3.14159 1234.5
printf '%d\n' abc
echo "status $?"
