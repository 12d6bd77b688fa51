# cd in a subshell does not move the shell
# needs: mkdir
# needs: sed
mkdir -p sub/dir
(cd sub/dir && pwd | sed 's#.*/sub#sub#')
pwd | sed 's#.*/##'
(cd sub; echo *)
