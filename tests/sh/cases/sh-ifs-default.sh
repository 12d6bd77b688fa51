# default IFS: space, tab, newline; runs collapse; ends trimmed
x='  a  b
c	d  '
set -- $x
echo $#
printf '[%s]' "$@"; echo
set -- $unset_v
echo $#
