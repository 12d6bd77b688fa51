;; Two threads that can only finish if they run at the same time.
;;
;; Thread 1 sets X = i and spins (no futex, no system call) until Y = i; thread 2 spins until
;; X = i and sets Y = i; 1000 rounds. Threads that took turns on one OS thread (green
;; threads, a cooperative scheduler) would spin forever. Each spin gives up after 2^31
;; tries and marks failure, so a wrong answer is an exit status, not a hang. Main joins them
;; on a futex and exits 0, or 1 if a spin gave up.
;;
;; Memory: 0 done count, 4 failed, 16 X, 20 Y.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))

  (global $rounds i32 (i32.const 1000))

  ;; Spins until memory[addr] == v; returns 0, or 1 after 2^31 tries.
  (func $await (param $addr i32) (param $v i32) (result i32) (local $tries i32)
    (loop $spin
      (if (i32.eq (i32.atomic.load (local.get $addr)) (local.get $v)) (then (return (i32.const 0))))
      (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
      (br_if $spin (i32.ge_s (local.get $tries) (i32.const 0))))
    (i32.const 1))

  (func (export "wasi_thread_start") (param $tid i32) (param $who i32) (local $i i32)
    (block $out
      (loop $round
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eq (local.get $who) (i32.const 1))
          (then
            (i32.atomic.store (i32.const 16) (local.get $i))
            (if (call $await (i32.const 20) (local.get $i))
              (then (i32.atomic.store (i32.const 4) (i32.const 1)) (br $out))))
          (else
            (if (call $await (i32.const 16) (local.get $i))
              (then (i32.atomic.store (i32.const 4) (i32.const 1)) (br $out)))
            (i32.atomic.store (i32.const 20) (local.get $i))))
        (br_if $round (i32.lt_u (local.get $i) (global.get $rounds)))))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func (export "_start") (local $d i32)
    (if (i32.le_s (call $spawn (i32.const 1)) (i32.const 0)) (then (call $exit (i32.const 2))))
    (if (i32.le_s (call $spawn (i32.const 2)) (i32.const 0)) (then (call $exit (i32.const 2))))
    (loop $join
      (local.set $d (i32.atomic.load (i32.const 0)))
      (if (i32.lt_u (local.get $d) (i32.const 2))
        (then
          (drop (memory.atomic.wait32 (i32.const 0) (local.get $d) (i64.const -1)))
          (br $join))))
    (call $exit (i32.atomic.load (i32.const 4))))
)
