# assignments before a command: temporary for programs, builtins and functions
x=orig
x=temp sh -c 'echo "child sees $x"'
echo "after program: $x"
f() { echo "function sees $x"; }
x=tf f
echo "after function: $x"
x=special :
echo "after special builtin: $x"
a=1 b=2
echo "$a $b"
c=3 d=$c
echo "[$d]"
