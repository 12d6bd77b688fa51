# trap without operands lists the actions
trap 'echo a' INT
trap "echo 'quoted'" TERM
trap '' QUIT
trap 'echo e' EXIT
trap
trap - INT QUIT
echo ---
trap
trap - EXIT TERM
echo ---
trap
trap 'x' NOSUCHSIG
echo "status $?"
