# eval concatenates its arguments and runs them
eval echo hello
cmd='x=5; echo "x is $x"'
eval "$cmd"
echo $x
eval 'for i in 1 2; do echo $i; done'
eval ''
echo "empty: $?"
eval 'false'
echo "status $?"
v=a; a=indirect
eval "echo \$$v"
eval "if"
echo never
