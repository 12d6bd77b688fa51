# 2>&1 in a pipeline sends errors down the pipe
# needs: sed
{ echo out; echo err >&2; } 2>&1 | sed 's/^/got: /'
nosuch_cmd_q 2>&1 | sed 's/^.*: //'
