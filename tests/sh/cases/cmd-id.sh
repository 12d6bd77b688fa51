# id: the formats (the ids themselves are the host user's)
# needs: id grep
id | grep -c '^uid=[0-9]*([a-z0-9]*) gid=[0-9]*([a-z0-9]*) groups='
id -u | grep -c '^[0-9][0-9]*$'
id -g | grep -c '^[0-9][0-9]*$'
id -un | grep -c '^[a-z0-9]*$'
id -u -g; echo "status $?"
