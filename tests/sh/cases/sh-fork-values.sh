# unexported values with quotes, newlines and backslashes survive into child shells
# needs: cat
a="it's \"quoted\" \\ back\\slash"
b='line1
line2'
c='$HOME `cmd` $(cmd)'
d=''
IFS='	:'
(echo "[$a]"; echo "[$b]"; echo "[$c]"; echo "[${d-unset}]")
echo "$a" | cat
x=$(printf '%s' "$c")
echo "$x"
(case "$IFS" in "$(printf '\t:')") echo ifs-kept;; *) echo ifs-lost;; esac)
unset IFS
(x='1 2 3'; set -- $x; echo $#)
