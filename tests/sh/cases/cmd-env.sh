# env: printing, -i, -u, NAME=VALUE, running a command, statuses
# needs: env sort sh
env -i A=1 B=2
env -i A=1 B=2 env | sort
X=1 Y=2 env -u X sh -c 'echo "[$X][$Y]"'
env -i PATH="$PATH" Z=3 sh -c 'echo $Z'
env nonexistent_cmd_x; echo "status $?"
env -i sh -c 'exit 7'; echo "status $?"
env -u; echo "status $?"
