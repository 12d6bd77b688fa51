# reserved words are only special where a command starts
echo if then else fi do done case esac while for in '{' '}' !
for in in in; do echo $in; done
x=then; echo $x
case in in in) echo "case in";; esac
echo {} {a,b}
