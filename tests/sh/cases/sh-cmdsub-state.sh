# a substitution sees the shell's variables and functions, and changes nothing
# needs: grep cat
v=unexported
f() { echo "func $1"; }
echo "$(echo $v; f arg)"
echo $(v=changed; echo $v) $v
echo $(cd /; pwd)
pwd | grep -q / && echo cwd-unchanged
set -- p1 p2
echo $(echo "$2 $#")
