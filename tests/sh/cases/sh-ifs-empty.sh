# an empty IFS: no splitting
IFS=
x='a b c'
set -- $x
echo $#
set -- one two
for a in $*; do echo "<$a>"; done
unset IFS
x='a b c'
set -- $x
echo $#
