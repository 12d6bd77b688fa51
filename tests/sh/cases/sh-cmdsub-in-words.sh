# substitutions in for lists, case words, redirections and assignments
# needs: grep cat
for w in $(echo a b c); do printf '%s.' $w; done; echo
case $(echo x) in x) echo case-ok;; esac
echo data > "$(echo file)"
cat file
n=$(echo 5)$(echo 6)
echo $n
