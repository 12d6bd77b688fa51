# exec with only redirections changes the shell's descriptors
# needs: cat
exec 3>log
echo "to log" >&3
exec >out
echo "to out"
exec >&3
echo "also to log"
exec 3>&-
cat log out >&2
