# ${x#pattern} and ${x##pattern}
p=/usr/local/bin/tool.tar.gz
echo ${p#*/} ${p##*/}
echo ${p#/usr} ${p#nomatch}
echo "${p##*.}" "${p#*.}"
x=aaab
echo ${x#a} ${x##a} ${x#a*} ${x##a*} ${x#"a*"}
y='*star'
echo "${y#\*}" "${y#'*'}"
echo ${p#?} ${p#[/]}
