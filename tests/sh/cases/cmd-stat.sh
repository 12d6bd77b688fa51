# stat -c and --printf: the directives that do not depend on the filesystem
# needs: stat printf mkdir ln chmod touch
printf 'hello' > f
mkdir d
ln -s f l
chmod 644 f
touch -d @1234567890 f
stat -c '%n %s %F %a %A %h %U %G %Y' f
stat -c '%n %F' d l
stat -c %N l
stat -L -c '%F %s' l
stat --printf '%n:%s\n' f f
stat -c '[%10s][%-3n]' f
stat missing; echo "status $?"
