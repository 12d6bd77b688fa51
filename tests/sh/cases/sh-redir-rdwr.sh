# <> opens for reading and writing, creating the file
# needs: cat
echo hello > rw
exec 3<>rw
read w <&3
echo "read: $w"
echo more >&3
exec 3>&-
cat rw
: <> created
[ -f created ] && echo created
