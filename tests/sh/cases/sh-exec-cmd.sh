# exec CMD runs CMD and the shell ends with its status
trap 'echo "no exit trap after exec"' EXIT
echo before
exec sh -c 'echo "in exec: $1"; exit 9' sh arg
echo never
