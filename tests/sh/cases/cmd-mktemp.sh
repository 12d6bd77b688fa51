# mktemp: files and directories with unique names, templates, errors
# needs: mktemp rm
f=$(mktemp) && test -f "$f" && echo file && rm "$f"
d=$(mktemp -d) && test -d "$d" && echo dir && rm -r "$d"
g=$(mktemp fooXXXXXX) && test -f "$g" && echo "${#g}" && rm "$g"
h=$(mktemp -p . -d barXXX) && test -d "$h" && echo local && rm -r "$h"
mktemp x; echo "status $?"
mktemp -d missing_dir/XXXXXX; echo "status $?"
