# wc: counts, column widths, several files, standard input
# needs: wc printf
printf 'hello world\nfoo\n' > a
printf 'x\n' > b
: > empty
wc a
wc -l a
wc -w a
wc -c a
wc a b
wc -l a b empty
printf 'one two\nthree\n' | wc
printf 'one two\nthree\n' | wc -l
printf 'no newline' | wc -lc
wc -L a
wc missing a; echo "status $?"
