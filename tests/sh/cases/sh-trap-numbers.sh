# traps by number, several signals at once, the EXIT trap as 0
trap 'echo "got $sig"' 10 12
sig=USR1; kill -USR1 $$
sig=USR2; kill -USR2 $$
trap - 10 12
trap 'echo bye' 0
trap
