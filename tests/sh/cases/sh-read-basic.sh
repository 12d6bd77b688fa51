# read splits a line into variables
# stdin: first line\nsecond  line  here\nthird\n
read a
echo "[$a]"
read x y
echo "[$x] [$y]"
read z
echo "[$z] $?"
read w
echo "[$w] $?"
