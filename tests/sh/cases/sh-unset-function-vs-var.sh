# unset without -f removes a variable, not a function
f() { echo "function f"; }
f=variable
unset f
f
echo "[${f-unset}]"
unset -f f
f 2>/dev/null || echo "function gone"
