# < reads a file; redirections may come first
# needs: cat
printf 'line1\nline2\n' > in
cat < in
< in cat
read first < in; echo "$first"
while read l; do echo "[$l]"; done < in
