;; thread-spawn fails with a negative number (-EAGAIN, -6) past the process's thread limit.
;;
;; _start spawns three threads that wait on a futex forever and writes each result:
;; with limits.threads = 3 (main included) the output is "1\n2\n-6\n". Then it returns,
;; which ends the process, waiting threads and all (exit 0).
;;
;; Memory: 0 a futex nobody wakes, 64 scratch (iovec, nwritten, digits).
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 64) (local.get $ptr))
    (i32.store (i32.const 68) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72))))

  ;; Writes n in decimal (with a '-' if negative) and a newline, using 80..127.
  (func $print (param $n i32) (local $at i32) (local $neg i32)
    (local.set $neg (i32.lt_s (local.get $n) (i32.const 0)))
    (if (local.get $neg) (then (local.set $n (i32.sub (i32.const 0) (local.get $n)))))
    (local.set $at (i32.const 127))
    (i32.store8 (local.get $at) (i32.const 10))
    (loop $digit
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (if (local.get $neg)
      (then
        (local.set $at (i32.sub (local.get $at) (i32.const 1)))
        (i32.store8 (local.get $at) (i32.const 45))))
    (call $write (local.get $at) (i32.sub (i32.const 128) (local.get $at))))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))

  (func (export "_start")
    (call $print (call $spawn (i32.const 0)))
    (call $print (call $spawn (i32.const 0)))
    (call $print (call $spawn (i32.const 0))))
)
