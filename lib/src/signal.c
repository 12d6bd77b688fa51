/*
 * sigaction, signal, and the trampoline the kernel calls to run a handler.
 *
 * The kernel keeps, for each signal, only the disposition (default, ignore, catch), the
 * mask and the flags. The C handlers live here, in `handlers`; when a caught signal is
 * delivered the kernel calls the export __isokernel_signal(sig), with the mask already
 * widened by sa_mask (and sig unless SA_NODEFER), and restores the mask when it returns.
 * This object defines the export, so every program that can install a handler has it.
 */
#include "isk.h"

typedef union {
  void (*handler)(int);
  void (*action)(int, siginfo_t *, void *);
} handler_t;

static handler_t handlers[__ISK_NSIG];
static int handler_flags[__ISK_NSIG];

/* SIG_IGN and SIG_ERR are these functions' addresses (wasi-libc's <signal.h> names them;
 * 1 and -1 could be real function pointers in wasm). Never called. */
static volatile int never;
void __SIG_IGN(int sig) { never = sig; }
void __SIG_ERR(int sig) { never = -sig; }

__attribute__((export_name("__isokernel_signal"))) void __isokernel_signal(int sig) {
  if (!__isk_valid_sig(sig)) return;
  handler_t h = handlers[sig];
  int flags = handler_flags[sig];
  /* The kernel has reset the disposition already; a handler may install itself again. */
  if (flags & SA_RESETHAND) {
    handlers[sig].handler = SIG_DFL;
    handler_flags[sig] = 0;
  }
  int saved_errno = errno;
  if (flags & SA_SIGINFO) {
    if (h.action) {
      siginfo_t info;
      memset(&info, 0, sizeof info);
      info.si_signo = sig;
      info.si_code = SI_USER;
      h.action(sig, &info, NULL);
    }
  } else if (h.handler != SIG_DFL && h.handler != SIG_IGN && h.handler != SIG_ERR) {
    h.handler(sig);
  }
  errno = saved_errno;
}

int sigaction(int sig, const struct sigaction *__restrict act, struct sigaction *__restrict oldact) {
  if (!__isk_valid_sig(sig)) {
    errno = EINVAL;
    return -1;
  }
  handler_t old = handlers[sig];
  int old_flags = handler_flags[sig];
  struct isk_sigaction kact, kold;
  memset(&kold, 0, sizeof kold);
  if (act) {
    void (*h)(int) = act->sa_handler;
    if (h == SIG_ERR) {
      errno = EINVAL;
      return -1;
    }
    kact.disposition = h == SIG_DFL ? ISK_SIG_DEFAULT : h == SIG_IGN ? ISK_SIG_IGNORE : ISK_SIG_CATCH;
    kact.mask = act->sa_mask.__bits & ISK_ALL_SIGNALS;
    kact.flags = (uint32_t)act->sa_flags;
    /* In place before the kernel may deliver. */
    if (kact.disposition == ISK_SIG_CATCH) {
      if (act->sa_flags & SA_SIGINFO) handlers[sig].action = act->sa_sigaction;
      else handlers[sig].handler = h;
      handler_flags[sig] = act->sa_flags;
    }
  }
  int err = __isk_sys_sigaction(sig, act ? &kact : NULL, oldact ? &kold : NULL);
  if (err) {
    handlers[sig] = old;
    handler_flags[sig] = old_flags;
    return __isk_ret(err);
  }
  if (act && kact.disposition != ISK_SIG_CATCH) {
    handlers[sig].handler = act->sa_handler;
    handler_flags[sig] = act->sa_flags;
  }
  if (oldact) {
    memset(oldact, 0, sizeof *oldact);
    if (kold.disposition == ISK_SIG_CATCH) {
      if (kold.flags & SA_SIGINFO) oldact->sa_sigaction = old.action;
      else oldact->sa_handler = old.handler;
    } else {
      oldact->sa_handler = kold.disposition == ISK_SIG_IGNORE ? SIG_IGN : SIG_DFL;
    }
    oldact->sa_mask.__bits = kold.mask;
    oldact->sa_flags = (int)kold.flags;
  }
  return 0;
}

void (*signal(int sig, void (*handler)(int)))(int) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sa.sa_flags = SA_RESTART; /* BSD semantics, as glibc's signal() */
  if (sigaction(sig, &sa, &old) < 0) return SIG_ERR;
  return old.sa_handler;
}
