# redirections on compound commands
# needs: cat
for i in 1 2 3; do echo $i; done > loop
cat loop
if true; then echo from-if; fi > ifout
cat ifout
while read n; do echo "got $n"; done < loop
case a in a) echo from-case;; esac 2>/dev/null > caseout
cat caseout
{ read a; read b; } < loop
echo "$a $b"
