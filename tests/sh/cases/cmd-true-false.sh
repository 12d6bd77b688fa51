# /bin/true and /bin/false: statuses, whatever the arguments
# needs: true false
/bin/true; echo "status $?"
/bin/false; echo "status $?"
/bin/true --anything x; echo "status $?"
/bin/false x; echo "status $?"
/bin/true && /bin/false || echo "false failed"
