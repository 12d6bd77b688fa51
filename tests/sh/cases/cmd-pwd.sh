# /bin/pwd: the physical working directory, and -L with PWD
# needs: pwd mkdir ln
mkdir real
ln -s real link
here=$(/bin/pwd)
cd real && [ "$(/bin/pwd)" = "$here/real" ] && echo physical
cd "$here/link" && [ "$(/bin/pwd)" = "$here/real" ] && echo resolved
[ "$(PWD=$here/link /bin/pwd -L)" = "$here/link" ] && echo logical
[ "$(PWD=/nonexistent /bin/pwd -L)" = "$here/real" ] && echo fallback
