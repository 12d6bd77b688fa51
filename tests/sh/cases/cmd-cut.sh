# cut: -f -d -s, -c and -b lists, --complement, --output-delimiter
# needs: cut printf
printf 'a:b:c\nno delimiter\n:x\n' > f
cut -d: -f2 f
cut -d: -f1,3 f
cut -d: -f2- f
cut -s -d: -f1 f
printf 'abcdef\n' | cut -c 2-4
printf 'abcdef\n' | cut -c -2,5-
printf 'abcdef\n' | cut -b 1,3 --output-delimiter=+
printf 'a\tb\tc\n' | cut -f 2
cut -d: --complement -f2 f
printf 'a:b\n' | cut -d: -f1 --output-delimiter=X
