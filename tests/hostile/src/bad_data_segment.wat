;; A data segment past the end of its one page: instantiation fails (status 126).
(module
  (memory (export "memory") 1)
  (data (i32.const 65535) "too long")
  (func (export "_start")))
