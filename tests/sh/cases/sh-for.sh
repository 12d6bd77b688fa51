# for loops over words, globs, and the positional parameters
for w in a b 'c d'; do echo "[$w]"; done
for w in; do echo never; done
set -- p1 p2
for p; do echo "param $p"; done
for p do echo "param2 $p"; done
for x in 1 2 3
do
  echo "x=$x"
done
echo "after: $x"
list="u v"
for w in $list "$list"; do echo "<$w>"; done
