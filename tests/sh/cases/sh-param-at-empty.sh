# "$@" with no parameters is no field at all
set --
printf '<%s>' "$@"; echo "count=$#"
printf '<%s>' "$*"; echo
set -- "$@"; echo $#
f() { echo $#; }
f "$@"
f "$*"
f ""$@
f "${1-}"
set -- ''
f "$@"
f $@
