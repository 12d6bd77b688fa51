# compound commands with &
# needs: cat
{ echo a; echo b; } > g1 &
wait; cat g1
for i in 1 2 3; do echo $i; done > g2 &
wait; cat g2
while read l; do echo "[$l]"; done < g2 > g3 &
wait; cat g3
if true; then echo if-bg; fi > g4 &
wait; cat g4
f() { echo "fn $1"; }
f x > g5 &
wait; cat g5
x=1; (x=2; echo "sub $x") > g6 &
wait; cat g6; echo "x=$x"
