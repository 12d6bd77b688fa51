// The 46 wasi_snapshot_preview1 functions as raw imports: every argument an i32 or i64 the
// caller chooses, so a hostile program can pass what no typed wrapper would (a path pointer
// past the end of memory, a length of 0xFFFFFFFF, a u64 with the top bit set). The types
// are the core-wasm signatures of the preview1 witx; each returns the errno.
#ifndef HOSTILE_RAW_H
#define HOSTILE_RAW_H

#include <stdint.h>

typedef int32_t I;
typedef int64_t L;

#define RAW(name, ...)                                                                    \
  I raw_##name(__VA_ARGS__)                                                               \
      __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

RAW(args_get, I argv, I buf);
RAW(args_sizes_get, I argc, I size);
RAW(environ_get, I env, I buf);
RAW(environ_sizes_get, I count, I size);
RAW(clock_res_get, I id, I out);
RAW(clock_time_get, I id, L precision, I out);
RAW(fd_advise, I fd, L off, L len, I advice);
RAW(fd_allocate, I fd, L off, L len);
RAW(fd_close, I fd);
RAW(fd_datasync, I fd);
RAW(fd_fdstat_get, I fd, I out);
RAW(fd_fdstat_set_flags, I fd, I flags);
RAW(fd_fdstat_set_rights, I fd, L base, L inheriting);
RAW(fd_filestat_get, I fd, I out);
RAW(fd_filestat_set_size, I fd, L size);
RAW(fd_filestat_set_times, I fd, L atim, L mtim, I fst);
RAW(fd_pread, I fd, I iovs, I n, L off, I out);
RAW(fd_prestat_get, I fd, I out);
RAW(fd_prestat_dir_name, I fd, I buf, I len);
RAW(fd_pwrite, I fd, I iovs, I n, L off, I out);
RAW(fd_read, I fd, I iovs, I n, I out);
RAW(fd_readdir, I fd, I buf, I len, L cookie, I out);
RAW(fd_renumber, I from, I to);
RAW(fd_seek, I fd, L off, I whence, I out);
RAW(fd_sync, I fd);
RAW(fd_tell, I fd, I out);
RAW(fd_write, I fd, I iovs, I n, I out);
RAW(path_create_directory, I fd, I path, I len);
RAW(path_filestat_get, I fd, I flags, I path, I len, I out);
RAW(path_filestat_set_times, I fd, I flags, I path, I len, L atim, L mtim, I fst);
RAW(path_link, I oldfd, I oldflags, I oldpath, I oldlen, I newfd, I newpath, I newlen);
RAW(path_open, I fd, I dirflags, I path, I len, I oflags, L base, L inheriting, I fdflags, I out);
RAW(path_readlink, I fd, I path, I len, I buf, I buflen, I out);
RAW(path_remove_directory, I fd, I path, I len);
RAW(path_rename, I fd, I oldpath, I oldlen, I newfd, I newpath, I newlen);
RAW(path_symlink, I oldpath, I oldlen, I fd, I newpath, I newlen);
RAW(path_unlink_file, I fd, I path, I len);
RAW(poll_oneoff, I in, I out, I n, I nevents);
_Noreturn void raw_proc_exit(I code)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")));
RAW(proc_raise, I sig);
RAW(random_get, I buf, I len);
RAW(sched_yield, void);
RAW(sock_accept, I fd, I flags, I out);
RAW(sock_recv, I fd, I iovs, I n, I riflags, I outlen, I outflags);
RAW(sock_send, I fd, I iovs, I n, I siflags, I outlen);
RAW(sock_shutdown, I fd, I how);

/** A guest pointer as the i32 the ABI passes. */
#define P(ptr) ((I)(uintptr_t)(ptr))

/** Bytes of linear memory now. */
static inline uint32_t mem_size(void) {
  return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

#endif
