;; A start function (run while instantiating, before the process is running) that makes a
;; system call: the kernel must refuse the program (status 126), not crash.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (func $init (drop (call $yield)))
  (start $init)
  (func (export "_start")))
