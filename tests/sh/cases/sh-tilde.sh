# tilde expansion
# needs: sed
echo ~ | sed "s#^$HOME#HOME#"
echo ~/sub | sed "s#^$HOME#HOME#"
echo "~" '~' \~
x=~/x; echo $x | sed "s#^$HOME#HOME#"
y=a:~/b; echo $y | sed "s#$HOME#HOME#"
echo a~
