# a $ that does not start an expansion is literal
echo $ "$" '$' a$ $% $/ "a$"
echo ${#}x $1x
echo "$ " end
