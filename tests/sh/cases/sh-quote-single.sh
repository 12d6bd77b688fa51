# single quotes keep everything literal
echo 'a  b   c'
echo '$HOME `x` \n "q"'
echo 'it'\''s'
echo ''a''b''
x='one
two'
echo "$x"
