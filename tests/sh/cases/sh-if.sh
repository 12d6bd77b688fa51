# if, elif, else
x=2
if [ $x -eq 1 ]; then echo one; elif [ $x -eq 2 ]; then echo two; else echo other; fi
if false; then echo no; else echo else-branch; fi
if false; then echo no; elif false; then echo no; fi
echo "status $?"
if true
then
  echo multi-line
fi
if if true; then false; fi; then echo no; else echo nested-condition; fi
if { echo cond; true; }; then echo body; fi
