# read joins lines ending in a backslash, unless -r
printf 'one \\\ntwo\nthree\n' > f
{ read a; read b; } < f
echo "[$a] [$b]"
{ read -r a; read -r b; } < f
echo "[$a] [$b]"
printf 'x\\\n' > g
read c < g; echo "$? [$c]"
