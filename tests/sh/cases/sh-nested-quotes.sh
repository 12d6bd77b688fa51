# quotes inside substitutions inside quotes
# needs: sed
x='a b'
echo "$(echo "$x" | sed "s/a/'A'/")"
echo "${x:+"$(echo "[$x]")"}"
echo "$(echo '"dq in sq"')"
echo `echo "bq \"dq\""`
echo "$(echo \$HOME)"
echo "$(printf '%s\n' "a  b")"
