;; Imports env.foo, which the kernel does not provide (status 126).
(module
  (import "env" "foo" (func $foo))
  (memory (export "memory") 1)
  (func (export "_start") (call $foo)))
