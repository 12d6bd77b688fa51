# arithmetic errors stop the shell
(echo $((1 / 0)); echo never)
echo "status $?"
(echo $((2 % 0)))
echo "status $?"
(echo $((1 +)))
echo "status $?"
(x=abc; echo $((x + 1)))
echo "status $?"
echo $((3 * ))
echo never
