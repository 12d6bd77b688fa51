# exec: the program gets the signals sent to the shell, and the shell ends as it does
# needs: sleep
# The signal waits until the program has set its trap (a file in the working directory
# says so), not for a fixed time: under load the exec'd shell may start late.
(while [ ! -e trap-set ]; do sleep 0.05; done; kill -TERM $$) &
exec sh -c 'trap "echo program got TERM; kill \$!; exit 5" TERM; : > trap-set; sleep 3 & wait'
