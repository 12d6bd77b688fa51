# trapped signals run their action at the next command
trap 'echo got USR1' USR1
kill -USR1 $$
echo after-usr1
trap 'echo got TERM; trap - TERM' TERM
kill -TERM $$
echo after-term
trap 'echo "HUP with $? preserved"' HUP
false
kill -HUP $$
echo "status still $?"
