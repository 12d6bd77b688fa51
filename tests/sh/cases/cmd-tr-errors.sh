# tr: operand errors
# needs: tr
tr </dev/null; echo "status $?"
tr a </dev/null; echo "status $?"
tr -d a b </dev/null; echo "status $?"
tr z-a x </dev/null; echo "status $?"
tr a '' </dev/null; echo "status $?"
