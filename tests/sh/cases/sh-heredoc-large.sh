# a here-document larger than a pipe holds
# needs: wc tail
i=0
{
  echo 'cat <<EOF'
  while [ $i -lt 1400 ]; do echo "line $i of the document, padded to make it longer"; i=$((i + 1)); done
  echo 'EOF'
} > gen.sh
. ./gen.sh | wc -l
. ./gen.sh | tail -n 1
