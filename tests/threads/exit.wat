;; proc_exit from a spawned thread ends the whole process, while main sleeps in the kernel.
;;
;; _start spawns a thread and sleeps 10 s in poll_oneoff; the thread waits 50 ms (a futex
;; wait that times out) so that main is asleep, then calls proc_exit(7): the process ends
;; with status 7 long before main's sleep would. Main, if it ever woke, would exit 1.
;;
;; Memory: 0 a futex word nobody changes, 64 the clock subscription, 128 the event,
;; 192 nevents.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 50_000_000)))
    (call $exit (i32.const 7)))

  (func (export "_start")
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0))
      (then (call $exit (i32.const 2))))
    ;; subscription: userdata 0, tag CLOCK (0), clock MONOTONIC (1), timeout 10 s, relative
    (i64.store (i32.const 64) (i64.const 0))
    (i32.store8 (i32.const 72) (i32.const 0))
    (i32.store (i32.const 80) (i32.const 1))
    (i64.store (i32.const 88) (i64.const 10_000_000_000))
    (i64.store (i32.const 96) (i64.const 0))
    (i32.store16 (i32.const 104) (i32.const 0))
    (drop (call $poll (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 192)))
    (call $exit (i32.const 1)))
)
