# double quotes: $ ` \ stay special, the rest is literal
x=world
echo "hello $x"
echo "it's \"quoted\""
echo "back\\slash \$x \`no\` \q"
echo "tab:	end"
echo "multi
line"
echo "$(echo inner "$x")"
echo "a${x}b"
