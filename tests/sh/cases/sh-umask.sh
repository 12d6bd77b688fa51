# umask
umask 022
umask
umask -S
umask 077
umask
: > private
umask u=rwx,g=rx,o=
umask
