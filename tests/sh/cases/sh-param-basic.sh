# $NAME and ${NAME}
x=hello
echo $x ${x} "$x" "${x}"
echo ${x}world $x-dash "$x"_under
y=
echo "[$y]" "[${y}]" [$unset_var]
_a1=ok; echo $_a1
echo $x$x ${x}${x}
