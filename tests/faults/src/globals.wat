;; Globals of every number type, for the core-file tests (tests/faults.test.ts): the kernel's
;; rewriter exports each, so the core file has all their values. _start sets them, writes a
;; marker in memory, then traps (unreachable: SIGILL).
(module
  (memory (export "memory") 1)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (global $counter (mut i64) (i64.const 0))
  (global $ratio (mut f64) (f64.const 0))
  (global $small (mut f32) (f32.const 0))
  (global $answer i32 (i32.const 42))
  (func $fail (unreachable))
  (func (export "_start")
    (global.set $__stack_pointer (i32.const 61440))
    (global.set $counter (i64.const -5000000000))
    (global.set $ratio (f64.const 2.5))
    (global.set $small (f32.const -0.75))
    (i32.store (i32.const 61440) (i32.const 0x12345678))
    (call $fail)))
