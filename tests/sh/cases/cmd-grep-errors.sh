# grep: bad regexes and options give status 2
# needs: grep printf
printf 'a\n' > f
grep -E 'a(' f; echo "status $?"
grep 'a\(' f; echo "status $?"
grep '[:space:]' f; echo "status $?"
grep; echo "status $?"
