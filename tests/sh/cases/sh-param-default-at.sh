# $@ and $* in defaults and alternatives
set -- a 'b c'
printf '<%s>' "${@:-none}"; echo
printf '<%s>' ${1+"$@"}; echo
set --
printf '<%s>' "${@:-none}"; echo
printf '<%s>' ${1+"$@"}; echo
printf '<%s>' "${*:-empty}"; echo
