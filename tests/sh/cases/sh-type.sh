# type tells what a name is
f() { :; }
type echo
type cd
type f
type if
type export
type nonexistent_zz
echo "status $?"
