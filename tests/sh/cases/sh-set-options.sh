# option listing and $-
# needs: grep
set -f -u
echo "[$-]"
set -o | grep -E 'noglob|nounset|errexit'
set +o | grep -E 'noglob|nounset'
set +fu
set -o noglob
echo *
set +o noglob
set -o | grep noglob
