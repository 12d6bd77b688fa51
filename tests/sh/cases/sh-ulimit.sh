# ulimit: set and read back (values the host and isokernel both allow), units, errors
ulimit -n 100
ulimit -n
ulimit -Sn 50
ulimit -n
ulimit -Hn
ulimit -c 0
ulimit -c
ulimit -t 30
ulimit -t
ulimit -Ht
ulimit -f 2048
ulimit -f
ulimit
sh -c 'ulimit -n; ulimit -f'
ulimit -x
echo "bad option: $?"
ulimit -n abc
echo "bad number: $?"
