# /bin/echo (GNU's, not the shell's builtin): -n, -e, -E, and what is not an option
# needs: echo cat
/bin/echo hello world
/bin/echo -n no newline; /bin/echo
/bin/echo -e 'a\tb\nc\\d'
/bin/echo -E 'a\tb'
/bin/echo -ne 'x\x41\0102\n'
/bin/echo -e 'stop\cnot printed'; /bin/echo
/bin/echo -- -n
/bin/echo -nx
/bin/echo -e '\e[0m\a' | cat -A
/bin/echo
