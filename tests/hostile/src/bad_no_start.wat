;; A module with memory but no _start: not a WASI command (status 126).
(module
  (memory (export "memory") 1))
