# redirections of builtins and functions are undone afterwards
# needs: cat
echo to-file > f
echo back-on-stdout
pwd > p; [ -s p ] && echo pwd-went-to-file
f() { echo in-f; echo f-err >&2; }
f > fo 2> fe
cat fo fe
echo still-here
read v < fo; echo "v=$v"
