# tee: copies to files and stdout, -a appends, a file that cannot be opened
# needs: tee cat printf
printf 'line\n' | tee a b
cat a b
printf 'more\n' | tee -a a > /dev/null
cat a
printf 'x\n' | tee nodir/f good; echo "status $?"
cat good
printf 'y\n' | tee
