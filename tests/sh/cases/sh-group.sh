# { list } runs in the shell itself
# needs: cat
x=1
{ x=2; echo "in group $x"; }
echo "after $x"
{ echo a; echo b; } > out
cat out
{ echo err >&2; } 2>/dev/null
{ false; }
echo $?
{ echo no space needed;}
