# ${#x}
x=hello; e=
echo ${#x} ${#e} ${#unset_v}
set -- a b c
echo ${#} ${#@} ${#*} ${#1}
y="with space"
echo ${#y}
