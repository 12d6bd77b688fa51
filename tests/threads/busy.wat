;; Threads that never stop: the process ends only from outside, or when main returns.
;;
;; _start spawns a thread that spins forever, then, if argv has more than one argument,
;; spins forever itself (the test kills the process); otherwise it waits 100 ms on a
;; futex and returns, which ends the process (exit 0) with the spinning thread in it.
;;
;; Memory: 0 a futex nobody wakes, 16 argc, 20 argv buffer size.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))

  (func $spin (loop $forever (br $forever)))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $spin))

  (func (export "_start")
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then (call $exit (i32.const 2))))
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (if (i32.gt_u (i32.load (i32.const 16)) (i32.const 1)) (then (call $spin)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 100_000_000))))
)
