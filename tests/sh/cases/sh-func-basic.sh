# functions
greet() {
  echo "hello $1"
}
greet world
greet "two words"
two() { echo a; echo b; }
two
f() (echo "in subshell body"; x=changed)
x=orig; f; echo $x
g() if true; then echo if-body; fi
g
h()
{
  echo brace-on-next-line
}
h
