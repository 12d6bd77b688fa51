;; A trap in a spawned thread kills the whole process with the trap's signal.
;;
;; _start spawns a thread and waits on a futex that nobody wakes; the thread calls $crash,
;; which executes `unreachable`: SIGILL (status 132), and the fault record names thread 1
;; and the function $crash.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))

  (func $crash (param $x i32)
    (if (i32.eq (local.get $x) (i32.const 42)) (then unreachable)))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $crash (local.get $arg)))

  (func (export "_start")
    (if (i32.le_s (call $spawn (i32.const 42)) (i32.const 0))
      (then (call $exit (i32.const 2))))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
    (call $exit (i32.const 1)))
)
