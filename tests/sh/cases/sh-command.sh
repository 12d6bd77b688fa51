# command skips functions; -v and -V describe
# needs: ls
ls() { echo "function ls"; }
ls
command ls -d . 
command -v cd
command -v ls
command -v if
command -v nonexistent_zz || echo "not found: $?"
unset -f ls
command -v ls >/dev/null && echo ls-is-a-program
command -V cd
command printf '%s\n' "via command"
command false || echo "false via command: $?"
