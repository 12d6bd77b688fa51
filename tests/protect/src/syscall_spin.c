// Computes for a while without a system call (so that preemption's fuel grows to its
// largest), then loops forever on slower system calls (opening and closing a file): fuel
// counts iterations, not time, so only the kernel's own look at the time on the syscall
// path (isk-guard.ts, preemptSoon) keeps this process from holding the CPU for seconds.
#include <fcntl.h>
#include <unistd.h>

volatile unsigned long long counter;

int main(void) {
  for (unsigned long i = 0; i < 200000000UL; i++) counter++;
  for (;;) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd >= 0) close(fd);
  }
}
