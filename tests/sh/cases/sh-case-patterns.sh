# case patterns from variables, quoting, brackets
pat='a*'
case abc in $pat) echo var-pattern;; esac
case abc in "$pat") echo no;; *) echo quoted-var-literal;; esac
case 'a*' in "$pat") echo quoted-match;; esac
case b in [abc]) echo bracket;; esac
case d in [!abc]) echo negated;; esac
case - in [a-]) echo dash-in-bracket;; esac
case '\' in '\') echo backslash;; esac
case ~ in '~') echo tilde-literal;; esac
x=hello
case $x in h*o) echo star-middle;; esac
case "$x" in hel*) echo dq-subject;; esac
