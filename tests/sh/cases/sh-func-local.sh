# local variables, scoped dynamically
x=global
f() {
  local x=local y
  y=also-local
  echo "in f: $x $y"
  g
}
g() { echo "g sees: $x"; }
f
echo "after: $x ${y-unset}"
counter() { local n=$1; if [ $n -gt 0 ]; then counter $((n - 1)); fi; echo "n=$n"; }
counter 2
k() { local v; echo "[${v-unset}]"; v=set; }
v=outer; k; echo $v
