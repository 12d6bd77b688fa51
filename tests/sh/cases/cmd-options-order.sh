# options after operands, --, and clustered options (as GNU's getopt permutes)
# needs: ls touch rm cat mkdir
touch a b
ls a -1 b
rm a -f missing; ls
mkdir dir -p
touch -- -dash
ls -- -dash
cat -- -dash
rm -- -dash; ls
