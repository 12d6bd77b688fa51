# : true false
:; echo $?
: ignored args $(echo too); echo $?
true; echo $?
false; echo $?
true extra args; echo $?
! :; echo $?
