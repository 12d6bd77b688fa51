# $? after an assignment is the substitution's status
x=$(false); echo $?
x=$(exit 5); echo $?
x=$(true); echo $?
x=$(false) y=$(true); echo $?
echo $(exit 3) $?
