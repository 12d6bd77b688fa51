# a pattern that matches nothing stays as it was
echo *.none
echo no?match
echo [z]zz
x='*.none'
echo $x "$x"
echo 'a*' "b?"
set -- *.none; echo $#
