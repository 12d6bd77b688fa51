# the EXIT trap runs when the shell ends, with $? of the end
trap 'echo "exit trap, status $?"' EXIT
echo body
(trap 'echo sub exit' EXIT; echo in sub)
false
