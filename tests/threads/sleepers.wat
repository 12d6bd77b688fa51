;; Threads asleep in the kernel at once keep their own calls apart: each poll_oneoff keeps
;; its own deadline and timer while another thread sleeps, wakes and sleeps again.
;;
;; Both threads first wait on a futex until main has spawned them both. Then thread 1
;; sleeps 500 ms once and writes "a\n"; thread 2 sleeps 30 ms five times, writing "b\n"
;; after each; main sleeps 100 ms, joins both and writes "m\n". Output: b b b b b a m,
;; in about 500 ms.
;;
;; Memory: 0 done count, 4 go, 32 "a\n", 36 "b\n", 40 "m\n", 64 + 128*k scratch of thread k.
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

  (func $sleep (param $scratch i32) (param $ms i64) (local $sub i32)
    (local.set $sub (i32.add (local.get $scratch) (i32.const 16)))
    (memory.fill (local.get $sub) (i32.const 0) (i32.const 48))
    (i32.store offset=16 (local.get $sub) (i32.const 1))
    (i64.store offset=24 (local.get $sub) (i64.mul (local.get $ms) (i64.const 1_000_000)))
    (drop (call $poll (local.get $sub) (i32.add (local.get $scratch) (i32.const 64)) (i32.const 1)
      (i32.add (local.get $scratch) (i32.const 12)))))

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32) (local $scratch i32) (local $i i32)
    (local.set $scratch (i32.add (i32.const 64) (i32.mul (i32.const 128) (local.get $k))))
    (loop $go
      (if (i32.eqz (i32.atomic.load (i32.const 4)))
        (then
          (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1)))
          (br $go))))
    (if (i32.eq (local.get $k) (i32.const 1))
      (then
        (call $sleep (local.get $scratch) (i64.const 500))
        (call $write (local.get $scratch) (i32.const 32) (i32.const 2)))
      (else
        (loop $again
          (call $sleep (local.get $scratch) (i64.const 30))
          (call $write (local.get $scratch) (i32.const 36) (i32.const 2))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $again (i32.lt_u (local.get $i) (i32.const 5))))))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func (export "_start") (local $d i32)
    (i32.store16 (i32.const 32) (i32.const 0x0a61))
    (i32.store16 (i32.const 36) (i32.const 0x0a62))
    (i32.store16 (i32.const 40) (i32.const 0x0a6d))
    (if (i32.le_s (call $spawn (i32.const 1)) (i32.const 0)) (then (call $exit (i32.const 2))))
    (if (i32.le_s (call $spawn (i32.const 2)) (i32.const 0)) (then (call $exit (i32.const 2))))
    (i32.atomic.store (i32.const 4) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 2)))
    (call $sleep (i32.const 64) (i64.const 100))
    (loop $join
      (local.set $d (i32.atomic.load (i32.const 0)))
      (if (i32.lt_u (local.get $d) (i32.const 2))
        (then
          (drop (memory.atomic.wait32 (i32.const 0) (local.get $d) (i64.const -1)))
          (br $join))))
    (call $write (i32.const 64) (i32.const 40) (i32.const 2)))
)
