# adjacent quoted parts make one word
x=B
echo "a"'b'c"$x"'$x'
set -- "a"'b' c\ d
echo $#
printf '[%s]\n' "$@"
printf '[%s]\n' ''"" x''
