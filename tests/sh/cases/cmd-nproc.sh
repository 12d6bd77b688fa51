# nproc: a positive number; OMP_NUM_THREADS and --ignore
# needs: nproc grep
nproc | grep -c '^[1-9][0-9]*$'
OMP_NUM_THREADS=3 nproc
nproc --ignore=1000
nproc x; echo "status $?"
