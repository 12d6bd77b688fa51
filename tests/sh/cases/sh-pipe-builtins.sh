# each command of a pipeline runs in a subshell: nothing comes back
# needs: sed cat
x=old
echo new | read x
echo "x=$x"
echo a | { read y; echo "inside: $y"; }
echo "y=${y-unset}"
cd / | true
pwd | sed 's#.*/##' > /dev/null
f() { echo "f got: $(cat)"; }
echo piped | f
