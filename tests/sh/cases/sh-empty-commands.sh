# empty lines, lone semicolons after commands, empty expansions as commands
echo a;

echo b ;	
$empty_var
echo "status $?"
$(true)
echo "status $?"
x=; $x echo "runs echo"
