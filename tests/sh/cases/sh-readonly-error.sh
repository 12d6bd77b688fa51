# assigning a read-only variable stops the shell
readonly R=1
echo before
R=2
echo never
