# positional parameters, ${10} and beyond
set -- a b c d e f g h i j k
echo $1 $9 ${10} ${11} $10
echo "$#"
set -- "first arg" second
echo "$1" "$2"
echo "[${3-unset}]"
