# the case word is expanded without splitting or globbing
: > file1
x='a  b'
case $x in 'a  b') echo "no splitting";; esac
case * in '*') echo "no globbing";; esac
case "$x" in a*b) echo "pattern across spaces";; esac
case '' in '') echo "empty subject";; esac
case $(echo sub) in sub) echo "substitution";; esac
y=b
case abc in a${y}c) echo "expansion in pattern";; esac
case 'a\b' in 'a\b') echo backslash-quoted;; esac
