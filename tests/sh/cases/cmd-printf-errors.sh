# /bin/printf: bad numbers are reported and the status is 1; bad directives stop it
# needs: printf
/bin/printf '%d\n' abc; echo "status $?"
/bin/printf '%d\n' 12abc; echo "status $?"
/bin/printf '%d\n' 99999999999999999999; echo "status $?"
/bin/printf '%f\n' x; echo "status $?"
/bin/printf 'a%zb\n'; echo "status $?"
/bin/printf; echo "status $?"
/bin/printf 'x\n' extra; echo "status $?"
/bin/printf '\x\n'; echo "status $?"
