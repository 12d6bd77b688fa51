# readonly variables
# needs: grep
readonly R=fixed
echo $R
(R=changed) 2>/dev/null || echo "assignment failed: $?"
(unset R) 2>/dev/null || echo "unset failed: $?"
readonly | grep -c "R="
readonly S
S=late
echo "$S"
