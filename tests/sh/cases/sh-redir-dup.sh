# duplicating descriptors; the order matters
# needs: cat
{ echo out; echo err >&2; } > both 2>&1
cat both
{ echo out; echo err >&2; } 2>&1 > only-out
cat only-out
echo to-stderr >&2 2>/dev/null
echo to-stderr-dropped 2>/dev/null >&2
exec 3>&1
echo via3 >&3
exec 3>&-
cat <&0 </dev/null
