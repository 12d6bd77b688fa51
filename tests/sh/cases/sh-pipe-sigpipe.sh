# a writer whose reader went away ends by SIGPIPE, silently
# needs: yes head
yes | head -n 2
echo "status $?"
(while :; do echo x; done) | head -n 1
echo "status $?"
