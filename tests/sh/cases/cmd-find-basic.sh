# find: -name, -type, -maxdepth/-mindepth, ! and -o, -path (sorted: directory order differs)
# needs: find mkdir touch sort
mkdir -p d/e/f
touch a.txt b.log d/c.txt d/e/g.txt
find . | sort
find . -name '*.txt' | sort
find . -type d | sort
find . -type f ! -name '*.txt' | sort
find . -maxdepth 1 | sort
find . -mindepth 2 -type f | sort
find . -name a.txt -o -name b.log | sort
find . -path './d/*' -type f | sort
find d -name e -prune -o -print | sort
find d/e/f
