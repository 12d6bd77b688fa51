/*
 * <sys/ioctl.h> for isokernel: wasi-libc's (FIONREAD, FIONBIO), completed with the terminal
 * requests libisokernel's ioctl() answers (lib/src/termios.c; docs/abi.md, "Terminals"):
 * TIOCGWINSZ/TIOCSWINSZ, TCGETS/TCSETS*, TIOCGPGRP/TIOCSPGRP, TIOCGSID, TIOCINQ, with
 * Linux's numbers. Any other request on a terminal, and any terminal request on another
 * descriptor, is ENOTTY.
 */
#ifndef ISOKERNEL_SYS_IOCTL_H
#define ISOKERNEL_SYS_IOCTL_H

#include_next <sys/ioctl.h>

#ifdef __wasi__
#define __NEED_struct_winsize
#include <bits/alltypes.h>

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define TIOCINQ 0x541B
#define TIOCGSID 0x5429
#endif

#endif
