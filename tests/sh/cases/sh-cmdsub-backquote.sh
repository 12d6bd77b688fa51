# `...` substitution and its backslashes
echo `echo hello`
echo "`echo a b`"
echo `echo \`echo nested\``
echo `echo '\$x'` "`echo \"dq\"`"
x=val
echo `echo $x` `echo \$x`
echo `printf '%s' \\\\`
