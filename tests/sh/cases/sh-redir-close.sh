# closing descriptors
# needs: cat
echo hidden >&-
echo "status $?"
{ echo visible; } 2>&-
cat <&- 2>/dev/null
echo "cat status $?"
