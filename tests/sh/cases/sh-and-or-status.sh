# the status of an and-or list is the last command run
false && true; echo $?
true && false; echo $?
false || false; echo $?
false || true; echo $?
true && { false || echo inner; }; echo $?
