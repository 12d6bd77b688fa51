# exec: the program gets the signals sent to the shell, and the shell ends as it does
# needs: sleep
(sleep 0.3; kill -TERM $$) &
exec sh -c 'trap "echo program got TERM; kill \$!; exit 5" TERM; sleep 3 & wait'
