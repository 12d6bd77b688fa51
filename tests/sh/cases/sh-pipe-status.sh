# a pipeline's status is its last command's
false | true; echo $?
true | false; echo $?
true | (exit 3); echo $?
(exit 4) | true; echo $?
! true | false; echo $?
