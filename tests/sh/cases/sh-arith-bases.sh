# octal and hexadecimal constants and variables
echo $((010)) $((0x10)) $((0X1f)) $((0))
v=0x20; echo $((v + 1))
o=017; echo $((o))
e=; echo $((e + 1))
s=' 12 '; echo $((s + 1))
