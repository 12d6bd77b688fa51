# ! inverts a pipeline's status
! true; echo $?
! false; echo $?
! echo x | false; echo $?
! { false; }; echo $?
if ! false; then echo negated; fi
