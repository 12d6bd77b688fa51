;; A _start but no exported memory: not a WASI command (status 126).
(module
  (func (export "_start")))
