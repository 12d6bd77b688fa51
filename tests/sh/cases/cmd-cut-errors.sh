# cut: list errors
# needs: cut
cut; echo "status $?"
cut -f 0 </dev/null; echo "status $?"
cut -f 3-2 </dev/null; echo "status $?"
cut -d ab -f1 </dev/null; echo "status $?"
cut -c x </dev/null; echo "status $?"
cut -f1 missing; echo "status $?"
