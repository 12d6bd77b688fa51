# cat: concatenation, standard input as -, -n -b -s -E -A, a missing file
# needs: cat printf
printf 'one\ntwo\n' > a
printf 'x\n\n\n\ny\tz\001\n' > b
cat a b
echo mid | cat a - b
cat -n a b
cat -b b
cat -s b
cat -E a
cat -A b
cat a missing b; echo "status $?"
cat < a
