# a shell whose variables are too large for a child's argv still runs subshells
# needs: cat
big=x; i=0
while [ $i -lt 18 ]; do big="$big$big"; i=$((i + 1)); done
echo ${#big}
f() { echo "f sees ${#big}"; }
(f)
echo "$(f)"
f | cat
(echo "${#big}") &
wait
