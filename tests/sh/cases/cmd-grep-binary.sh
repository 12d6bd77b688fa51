# grep: a file with a NUL byte is reported, not printed
# needs: grep printf
printf 'text\0more\nmatch here\n' > bin
printf 'match\n' > txt
grep match bin txt; echo "status $?"
grep -c match bin
grep -a -c match bin
