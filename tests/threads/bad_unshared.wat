;; Imports a memory that is not shared: only threaded programs get an imported memory, so
;; the kernel refuses to run it (status 126, ENOEXEC).
(module
  (import "env" "memory" (memory 1 1))
  (func (export "_start")))
