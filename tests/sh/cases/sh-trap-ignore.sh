# trap '' ignores a signal, in the shell and in its children
trap '' TERM
kill -TERM $$
echo survived
sh -c 'kill -TERM $$; echo child survived'
(kill -TERM $$; echo subshell survived)
trap - TERM
sh -c 'kill -TERM $$; echo never'
echo "child status $?"
