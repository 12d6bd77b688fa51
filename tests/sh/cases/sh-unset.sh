# unset
x=1; unset x; echo "[${x-unset}]"
unset never_set; echo $?
y=2; unset -v y; echo "[${y-unset}]"
f() { :; }; unset -f f; f 2>/dev/null; echo $?
export Z=z; unset Z; sh -c 'echo "[${Z-unset}]"'
