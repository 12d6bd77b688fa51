# a #!/bin/sh script runs through its interpreter
# needs: chmod
printf '#!/bin/sh\necho "shebang: $# $1"\nexit 3\n' > s1
chmod 755 s1
./s1 one two
echo $?
PATH=$PWD:$PATH
s1 x
echo $?
