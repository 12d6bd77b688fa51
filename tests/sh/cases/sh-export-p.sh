# export -p and readonly -p write commands that re-create the variables
# needs: grep
unset_x=1
export EX1=plain EX2="with space" EX3="it's"
export -p | grep ' EX[123]='
readonly RO1=one RO2="two words"
readonly -p | grep ' RO[12]='
x="a'b"
set | grep '^x='
