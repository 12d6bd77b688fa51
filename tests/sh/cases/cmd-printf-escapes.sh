# /bin/printf: backslash escapes in the format and in %b, %q, \c
# needs: printf cat
/bin/printf 'tab\there\nnl\\ \101\x42\n'
/bin/printf '%b\n' 'a\tb' 'c\0101d' 'e\\f'
/bin/printf '%b|%b\n' 'stop\c' never
/bin/printf 'x\cy\n'; echo
/bin/printf '%q\n' 'a b' "it's" plain
/bin/printf '\u00e9\001\n' | cat -A
