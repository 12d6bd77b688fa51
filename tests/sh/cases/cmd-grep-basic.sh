# grep: -v -i -c -n -x -w -o, several patterns, status
# needs: grep printf
printf 'hello\nworld\nHello there\nhelp\n' > f
grep hello f
grep -i hello f
grep -v o f
grep -c l f
grep -n l f
grep -x world f
grep -w hel f; echo "status $?"
grep -o 'l\+' f
grep -e world -e help f
grep nothing f; echo "status $?"
grep -q hello f; echo "status $?"
printf 'a\nb\n' | grep -c .
