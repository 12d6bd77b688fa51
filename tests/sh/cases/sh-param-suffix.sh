# ${x%pattern} and ${x%%pattern}
f=archive.tar.gz
echo ${f%.*} ${f%%.*} ${f%.gz} ${f%nomatch}
d=/a/b/c/
echo ${d%/} ${d%/*/}
x=baaa
echo ${x%a} ${x%%a} ${x%a*} ${x%%a*}
echo "${f%"$(echo .gz)"}"
