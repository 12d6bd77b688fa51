# exec moves descriptors around for the rest of the script
# needs: cat
printf 'l1\nl2\nl3\n' > in
exec 3<in
read a <&3
exec 4<&3
read b <&4
exec 3<&- 4<&-
echo "$a $b"
exec 5>out 6>&5
echo five >&5
echo six >&6
exec 5>&- 6>&-
cat out
exec 7<&0 </dev/null
read nothing; echo "read from /dev/null: $?"
exec 0<&7 7<&-
