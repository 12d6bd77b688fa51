# quoting and set -f turn globbing off
: > one; : > two
echo "*" '*' \*
echo "o"*
echo o"*"
set -f
echo *
set +f
echo *
x='t*'
echo $x "$x"
