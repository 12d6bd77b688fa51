// fd_sync: succeeds on a regular file, open for writing or not, and the data is there;
// EBADF on a directory or a stdio stream (wasmtime syncs files only) or a descriptor that
// is not open. (The checks are check_sync_call in test.h, shared with fd_datasync.)
#include "test.h"

int main(void) {
  check_sync_call("fd_sync", __wasi_fd_sync);
  return 0;
}
