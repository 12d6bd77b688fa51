/* pipe and pipe2. */
#include "isk.h"

int pipe2(int fds[2], int flags) {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) {
    errno = EINVAL;
    return -1;
  }
  int32_t out[2];
  int32_t kflags = (flags & O_CLOEXEC ? ISK_FD_CLOEXEC : 0) | (flags & O_NONBLOCK ? ISK_PIPE_NONBLOCK : 0);
  int err = __isk_sys_pipe(out, kflags);
  if (err) return __isk_ret(err);
  fds[0] = out[0];
  fds[1] = out[1];
  return 0;
}

int pipe(int fds[2]) { return pipe2(fds, 0); }
