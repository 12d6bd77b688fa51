;; Imports wasi.thread-spawn and a shared memory but exports no wasi_thread_start, so a
;; spawned thread would have nothing to run: refused at load (status 126, ENOEXEC).
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (func (export "_start") (drop (call $spawn (i32.const 0)))))
