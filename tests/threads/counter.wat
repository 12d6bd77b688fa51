;; Threads increment a shared counter under a mutex made of atomics, and main joins them.
;;
;; _start spawns 4 threads; each takes the mutex 10000 times to add 1 to the counter (a
;; plain load and store, so only the mutex keeps increments from being lost), writes "t\n"
;; (a system call from a thread), then adds 1 to the done count and wakes main, which
;; waits on that futex. Main prints the counter ("40000\n") and returns: exit 0. A failed
;; spawn exits 2.
;;
;; Memory: 0 mutex (0 free, 1 locked, 2 locked with waiters), 4 counter, 8 done count,
;; 64 + 64*k scratch of thread k (iovec, digits), 32 "t\n".
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))

  (global $threads i32 (i32.const 4))
  (global $iters i32 (i32.const 10000))

  ;; Drepper's futex mutex ("Futexes are tricky", mutex 2).
  (func $lock (param $m i32) (local $c i32)
    (local.set $c (i32.atomic.rmw.cmpxchg (local.get $m) (i32.const 0) (i32.const 1)))
    (if (i32.eqz (local.get $c)) (then (return)))
    (loop $retry
      (if (i32.or (i32.eq (local.get $c) (i32.const 2))
                  (i32.ne (i32.atomic.rmw.cmpxchg (local.get $m) (i32.const 1) (i32.const 2)) (i32.const 0)))
        (then (drop (memory.atomic.wait32 (local.get $m) (i32.const 2) (i64.const -1)))))
      (local.set $c (i32.atomic.rmw.cmpxchg (local.get $m) (i32.const 0) (i32.const 2)))
      (br_if $retry (local.get $c))))

  (func $unlock (param $m i32)
    (if (i32.ne (i32.atomic.rmw.sub (local.get $m) (i32.const 1)) (i32.const 1))
      (then
        (i32.atomic.store (local.get $m) (i32.const 0))
        (drop (memory.atomic.notify (local.get $m) (i32.const 1))))))

  (func $write (param $scratch i32) (param $ptr i32) (param $len i32)
    (i32.store (local.get $scratch) (local.get $ptr))
    (i32.store offset=4 (local.get $scratch) (local.get $len))
    (drop (call $fd_write (i32.const 1) (local.get $scratch) (i32.const 1) (i32.add (local.get $scratch) (i32.const 8)))))

  ;; Writes n (>= 0) in decimal and a newline, using scratch+16..scratch+48.
  (func $print (param $scratch i32) (param $n i32) (local $at i32)
    (local.set $at (i32.add (local.get $scratch) (i32.const 47)))
    (i32.store8 (local.get $at) (i32.const 10))
    (loop $digit
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $write (local.get $scratch) (local.get $at)
      (i32.sub (i32.add (local.get $scratch) (i32.const 48)) (local.get $at))))

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32) (local $i i32)
    (loop $more
      (call $lock (i32.const 0))
      (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1)))
      (call $unlock (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (global.get $iters))))
    (i32.store16 (i32.const 32) (i32.const 0x0a74)) ;; "t\n" (every thread stores the same bytes)
    (call $write (i32.add (i32.const 64) (i32.mul (i32.const 64) (local.get $k))) (i32.const 32) (i32.const 2))
    (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 8) (i32.const 1))))

  (func (export "_start") (local $k i32) (local $d i32)
    (loop $spawn
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (if (i32.le_s (call $spawn (local.get $k)) (i32.const 0))
        (then (call $exit (i32.const 2))))
      (br_if $spawn (i32.lt_u (local.get $k) (global.get $threads))))
    (loop $join
      (local.set $d (i32.atomic.load (i32.const 8)))
      (if (i32.lt_u (local.get $d) (global.get $threads))
        (then
          (drop (memory.atomic.wait32 (i32.const 8) (local.get $d) (i64.const -1)))
          (br $join))))
    (call $print (i32.const 64) (i32.atomic.load (i32.const 4))))

)
