# numbered descriptors
# needs: cat
exec 4>file4
echo first >&4
echo second >&4
exec 4>&-
cat file4
exec 5<file4
read a <&5
read b <&5
exec 5<&-
echo "$a/$b"
echo abc 7>x >&7
cat x
