# trailing newlines are removed, inner ones kept
x=$(printf 'a\n\nb\n\n\n')
printf '[%s]\n' "$x"
y=$(printf '\n\n')
echo "[${#y}]"
set -- $(printf 'l1\nl2\nl3\n')
echo $#
