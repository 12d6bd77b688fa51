# jobs lists background jobs (dash shows no command text for a script)
# needs: sleep
# compare: status
sleep 0.2 &
jobs
wait
