# find: -exec with ; and +, -delete, -print0, -printf
# needs: find mkdir touch sort echo tr
mkdir -p d/sub
touch d/a d/b d/sub/c
find d -type f -exec echo file {} ';' | sort
find d -type f -exec echo {} + | tr ' ' '\n' | sort
find d -name a -printf '%p %f %h %d %y\n'
find d -type f -print0 | tr '\0' '\n' | sort
find d -name 'b' -delete
find d -type f | sort
find d -type f -exec false ';' -print; echo "status $?"
