# $? after builtins, functions, subshells, compound commands
true; echo $?
false; echo $?
(exit 7); echo $?
f() { return 5; }; f; echo $?
if false; then :; fi; echo $?
while false; do :; done; echo $?
for i in; do :; done; echo $?
case x in y) ;; esac; echo $?
{ false; }; echo $?
sh -c 'exit 300'; echo $?
