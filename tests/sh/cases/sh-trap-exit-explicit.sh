# exit in the EXIT trap sets the final status
trap 'echo cleaning; exit 7' EXIT
echo body
exit 3
