// Computes forever without a system call (the loop never ends: the kernel must preempt it
// and deliver signals to it).
volatile unsigned long long counter;

int main(void) {
  for (;;) counter++;
}
