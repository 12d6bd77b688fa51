# command substitutions of every shape
# needs: tr
a=$(echo plain)
b=$(x=local; echo $x)
c=$(f() { echo fn; }; f)
d=$(cd / && pwd)
e=$(echo one; echo two)
g=$( (echo in-sub) )
h=$(echo a | tr a A)
i=$(exit 3); s=$?
j=`echo bq`
k="$(echo "nested $(echo "$(echo deep)")")"
echo "$a|$b|$c|$d|$e|$g|$h|$i|$s|$j|$k"
l=$(echo "p q" r)
set -- $l; echo $#
m=$(printf 'tab\there')
echo "$m"
