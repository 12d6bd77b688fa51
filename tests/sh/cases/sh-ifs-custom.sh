# a custom IFS: each non-white delimiter makes a field
IFS=:
x='a:b::c:'
set -- $x
echo $#
printf '[%s]' "$@"; echo
y=':lead'
set -- $y; printf '[%s]' "$@"; echo
IFS=' :'
z=' a : b :: c '
set -- $z; printf '[%s]' "$@"; echo
IFS=:
echo a:b
v='x:y'
echo $v "$v"
