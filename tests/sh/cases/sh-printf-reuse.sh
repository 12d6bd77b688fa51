# printf reuses its format for the remaining arguments
printf '%s=%s\n' a 1 b 2 c
printf '[%d]' 1 2 3; echo
printf '%b' 'one\n' 'two\c' 'never\n'; echo
printf '%s\n' "$@"
set -- x y
printf '<%s>' "$@"; echo
printf -- '-%s-\n' dash
