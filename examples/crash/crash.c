// The crash demonstration (README, "Faults, core files and what protection means"): one bug
// — an unchecked array index — three ways, and what isokernel makes of each.
//
//   crash inside      the index lands inside memory, in the next structure: C has no
//                     protection within a process, so a neighbouring field is silently
//                     corrupted and the program goes on
//   crash wild        the index lands far outside memory: SIGSEGV, a fault record with the
//                     backtrace and source lines, and a core file if asked for
//   crash null        a lookup returns NULL and the caller writes through it: the null-page
//                     guard makes it SIGSEGV at the faulting address
//   crash neighbours  a child scribbles over the same addresses in its own memory and dies
//                     wild; the parent's data at those addresses is untouched
//
// Built with -g (build.sh) so that fault records name source lines.
#include <isokernel.h>
#include <stdio.h>
#include <string.h>

struct account {
  char name[8];
  int balance;
};

struct limits {
  int max_withdrawal;
  int daily_limit;
  int overdraft_allowed;
};

// Two structures side by side: the accounts, then the bank's limits.
static struct {
  struct account accounts[2];
  struct limits limits;
} bank = {{{"alice", 100}, {"bob", 50}}, {500, 1000, 0}};

static void show(const char *who) {
  printf("%s: bank at %p: %.8s %d, %.8s %d; limits at %p: max withdrawal %d, overdraft %s\n", who, (void *)&bank,
         bank.accounts[0].name, bank.accounts[0].balance, bank.accounts[1].name, bank.accounts[1].balance,
         (void *)&bank.limits, bank.limits.max_withdrawal, bank.limits.overdraft_allowed ? "allowed" : "refused");
}

// The bug: no check that i is below 2.
__attribute__((noinline)) static void deposit(int i, int amount) {
  bank.accounts[i].balance += amount;
}

__attribute__((noinline)) static struct account *find(const char *name) {
  for (int i = 0; i < 2; i++)
    if (strcmp(bank.accounts[i].name, name) == 0) return &bank.accounts[i];
  return NULL;
}

__attribute__((noinline)) static void credit(const char *name, int amount) {
  find(name)->balance += amount; // NULL for an unknown name
}

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "";
  if (strcmp(how, "inside") == 0) {
    show("before");
    deposit(2, 1); // accounts[2] is past the end: its balance is bank.limits.overdraft_allowed
    show("after ");
  } else if (strcmp(how, "wild") == 0) {
    deposit(100000000, 1); // 1.2 GB past the array: outside this process's memory
  } else if (strcmp(how, "null") == 0) {
    credit("carol", 10);
  } else if (strcmp(how, "neighbours") == 0) {
    show("parent");
    fflush(stdout);
    char *child_argv[] = {argv[0], "scribble", NULL};
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], NULL, NULL, child_argv, NULL);
    if (err != 0) {
      printf("parent: cannot spawn %s: %s\n", argv[0], strerror(err));
      return 1;
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) printf("parent: child %d was killed by signal %d (%s)\n", pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
    show("parent");
  } else if (strcmp(how, "scribble") == 0) {
    memset(&bank, 0x5a, sizeof bank); // the same addresses as the parent's bank, in this process
    show("child ");
    fflush(stdout);
    deposit(100000000, 1);
  } else {
    printf("usage: crash inside|wild|null|neighbours\n");
    return 2;
  }
  return 0;
}
