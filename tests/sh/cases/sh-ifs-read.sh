# IFS for read
echo 'a:b:c' | { IFS=: read x y z; echo "$x $y $z"; }
echo 'a:b:c:d' | { IFS=: read x y; echo "$x | $y"; }
echo '  lead  and  trail  ' | { read x; echo "[$x]"; }
echo '  lead  and  trail  ' | { IFS= read x; echo "[$x]"; }
echo 'a b' | { read x y z; echo "[$x][$y][$z]"; }
