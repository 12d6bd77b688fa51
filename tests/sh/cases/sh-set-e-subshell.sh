# set -e inside subshells and pipelines
set -e
(false; echo never) || echo "subshell failed: $?"
false | true
echo "pipeline ok"
y=$(set -e; false; echo no)
echo never
