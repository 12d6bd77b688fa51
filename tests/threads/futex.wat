;; A futex wait blocks only the thread that makes it.
;;
;; Thread 1 waits on the futex at 0 (no timeout) and, once woken, writes "woke\n". Thread 2
;; meanwhile makes system calls: five times it sleeps 100 ms in poll_oneoff and writes
;; "tick\n"; then it sets the futex word and wakes thread 1. Main joins both (a futex on
;; the done count) and writes "done\n". Output: 5 ticks, woke, done. Exit 2 if a spawn
;; fails, 3 if the wait returned without the word set.
;;
;; Memory: 0 futex, 4 done count, 32 "tick\n", 40 "woke\n", 48 "done\n", 64 + 64*k scratch
;; of thread k (iovec, nwritten, clock subscription, event).
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))

  (func $write (param $scratch i32) (param $ptr i32) (param $len i32)
    (i32.store (local.get $scratch) (local.get $ptr))
    (i32.store offset=4 (local.get $scratch) (local.get $len))
    (drop (call $fd_write (i32.const 1) (local.get $scratch) (i32.const 1) (i32.add (local.get $scratch) (i32.const 8)))))

  ;; Sleeps `ms` in poll_oneoff, with a subscription at scratch+16 and the event after it.
  (func $sleep (param $scratch i32) (param $ms i64) (local $sub i32)
    (local.set $sub (i32.add (local.get $scratch) (i32.const 16)))
    (memory.fill (local.get $sub) (i32.const 0) (i32.const 48))
    (i32.store offset=16 (local.get $sub) (i32.const 1)) ;; CLOCK_MONOTONIC
    (i64.store offset=24 (local.get $sub) (i64.mul (local.get $ms) (i64.const 1_000_000)))
    (drop (call $poll (local.get $sub) (i32.add (local.get $scratch) (i32.const 64)) (i32.const 1)
      (i32.add (local.get $scratch) (i32.const 12)))))

  (func $done
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32) (local $scratch i32) (local $i i32)
    (local.set $scratch (i32.add (i32.const 64) (i32.mul (i32.const 128) (local.get $k))))
    (if (i32.eq (local.get $k) (i32.const 1))
      (then
        (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
        (if (i32.ne (i32.atomic.load (i32.const 0)) (i32.const 1)) (then (call $exit (i32.const 3))))
        (call $write (local.get $scratch) (i32.const 40) (i32.const 5)))
      (else
        (loop $tick
          (call $sleep (local.get $scratch) (i64.const 100))
          (call $write (local.get $scratch) (i32.const 32) (i32.const 5))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $tick (i32.lt_u (local.get $i) (i32.const 5))))
        (i32.atomic.store (i32.const 0) (i32.const 1))
        (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))))
    (call $done))

  (func (export "_start") (local $d i32)
    (i64.store (i32.const 32) (i64.const 0x0a6b636974)) ;; "tick\n"
    (i64.store (i32.const 40) (i64.const 0x0a656b6f77)) ;; "woke\n"
    (i64.store (i32.const 48) (i64.const 0x0a656e6f64)) ;; "done\n"
    (if (i32.le_s (call $spawn (i32.const 1)) (i32.const 0)) (then (call $exit (i32.const 2))))
    (if (i32.le_s (call $spawn (i32.const 2)) (i32.const 0)) (then (call $exit (i32.const 2))))
    (loop $join
      (local.set $d (i32.atomic.load (i32.const 4)))
      (if (i32.lt_u (local.get $d) (i32.const 2))
        (then
          (drop (memory.atomic.wait32 (i32.const 4) (local.get $d) (i64.const -1)))
          (br $join))))
    (call $write (i32.const 64) (i32.const 48) (i32.const 5)))
)
