# nested control structures
for a in 1 2; do
  for b in x y; do
    case $a$b in
      1x) if true; then while false; do :; done; echo "$a$b first"; fi;;
      2*) { until true; do :; done; echo "$a$b second"; };;
      *) ( echo "$a$b other" );;
    esac
  done
done
