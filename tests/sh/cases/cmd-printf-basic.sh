# /bin/printf: directives, flags, widths, reuse of the format
# needs: printf
/bin/printf '%s|%5s|%-5s|%.2s\n' abc de fg hijk
/bin/printf '%d %i %o %x %X %u\n' 42 -7 8 255 255 3
/bin/printf '%05d|%+d|% d|%-4d|\n' 42 42 42 42
/bin/printf '%e %f %g %.3f\n' 1234.5 2.5 0.0001 3.14159
/bin/printf '%s-%s\n' a b c d e
/bin/printf '%c%c\n' hello world
/bin/printf '%*d|%-*d|\n' 4 1 4 2
/bin/printf '%d %d\n' 0x10 010 "'A" '"B'
/bin/printf 'no directive\n'
/bin/printf '%%|%s|\n'
/bin/printf '%#x %#o\n' 255 8
