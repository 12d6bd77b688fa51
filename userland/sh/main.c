/*
 * sh: a POSIX shell for isokernel, where there is no fork.
 *
 * THE FORK-LESS DESIGN
 *
 * A Unix shell forks for everything that runs "in a subshell environment": ( list ),
 * $(command), each command of a pipeline, and lists started with &. The child is a copy
 * of the shell, so it sees every variable, function, option and trap, and nothing it
 * changes comes back. isokernel has spawn (fork+exec in one) but no fork, so this shell
 * makes the copy explicitly: it spawns /bin/sh again and hands it the state that a fork
 * would have copied:
 *
 *   argv:  sh --isk-subshell=STATE PRELUDE BODY $0 $1 $2 ...
 *   env:   the exported variables (as for any program)
 *   fds:   the shell's descriptors, with the pipe ends or redirections put in place
 *          first (spawn copies the descriptor table; the shell's own saved copies are
 *          close-on-exec)
 *
 *   STATE    $$ (the parent's: a subshell keeps it), $PPID, $?, $!, the line number,
 *            the options (set -e -u -x -f -C -a ...), the depth of functions and loops
 *            (so `return` and `break` inside a subshell end it, as in a forked one, and
 *            `local` works), whether set -e is currently ignored (a condition), the
 *            signals the parent ignores with `trap ''` (they stay ignored: the kernel keeps
 *            SIG_IGN across spawn and resets caught signals to default, exactly what a
 *            subshell does with traps), and the builtin running the code (eval, a dot
 *            file), which error messages name.
 *   PRELUDE  shell text re-creating what the environment cannot carry: the unexported
 *            variables (NAME='value'), read-only and export-without-value attributes,
 *            `unset IFS` if the parent has it unset, and every function definition. It
 *            runs quietly (no -x, no -e) before the options are applied. A prelude too
 *            large for argv comes through a pipe instead (PRELUDE is then "@fd:N").
 *   BODY     the text to run: for ( list ), a pipeline command or an & list, the tree
 *            written back as shell text (unparse.c); for $(...) and `...`, the text as
 *            it was written. It carries `#@line N` comments, honoured only in text from
 *            the parent, so the child's error messages and $LINENO name the parent's
 *            lines.
 *
 * The positional parameters are the child's arguments, so "$@" is exact. The child runs
 * BODY and exits with its status; `exit` in it ends only it. What is lost compared with
 * fork: descriptors the parent holds open only for itself are not passed (they are all
 * close-on-exec here anyway), and a running EXIT trap is not inherited (POSIX resets it).
 *
 * Two shortcuts avoid the child shell where it cannot matter: a simple command that is a
 * program (not a builtin or a function), in a pipeline, with &, or alone in $(...), is
 * spawned directly after the parent expands its words - only when that expansion cannot
 * change the shell (no ${x=}, ${x?}, $((...)), not under set -u): exec.c.
 *
 * Everything else - builtins, functions, assignments, cd, loops, if, case, { list },
 * redirections of builtins - runs in this process, with descriptors saved and restored
 * around it (redir.c). `exec cmd` replaces the shell with cmd (the kernel's exec).
 *
 * WASI keeps preopened directories at descriptors 3, 4, ..., the numbers scripts use for
 * their own files: preopen.c keeps the shell's access to the filesystem whatever a script
 * does with them.
 *
 * This file: startup, options, and the choice of input (-c, a script, stdin).
 */
#include "sh.h"

struct shell sh;
void pwd_init(void);

static void usage_error(const char *msg) {
  out_flush_all();
  char buf[256];
  int n = snprintf(buf, sizeof buf, "%s: %s\n", sh.name ? sh.name : "sh", msg);
  write(2, buf, (size_t)n);
  exit(2);
}

int main(int argc, char **argv) {
  stack_init();
  sh.pid = getpid();
  sh.ppid = getppid();
  /* child shells run this same program: its absolute path if it was started by one */
  sh.shpath = argc > 0 && argv[0][0] == '/' ? argv[0] : "/bin/sh";
  sh.cmdsub_status = -1;
  sh.name = argc > 0 ? argv[0] : "sh";
  sh.arg0 = argc > 0 ? argv[0] : (char *)"sh";
  preopens_protect();
  vars_init(environ);
  traps_init();
  char pbuf[16];
  snprintf(pbuf, sizeof pbuf, "%d", (int)sh.ppid);
  var_set("PPID", pbuf, 0);

  if (argc > 1 && strncmp(argv[1], SUBSHELL_FLAG, strlen(SUBSHELL_FLAG)) == 0) {
    int r = subshell_main(argc, argv);
    sh_exit(r);
  }
  pwd_init();

  bool cflag = false, sflag = false, iflag = false;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if ((a[0] != '-' && a[0] != '+') || a[1] == 0) {
      if (strcmp(a, "-") == 0) i++;
      break;
    }
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    bool on = a[0] == '-';
    for (const char *c = a + 1; *c; c++) {
      switch (*c) {
      case 'c': cflag = on; break;
      case 's': sflag = on; break;
      case 'i': iflag = on; break;
      case 'o':
        if (i + 1 >= argc) usage_error("-o requires an argument");
        {
          char *set_argv[] = {(char *)"set", on ? (char *)"-o" : (char *)"+o", argv[++i], NULL};
          bi_set(3, set_argv);
        }
        break;
      default:
        if (!set_option_letter(*c, on)) {
          char msg[64];
          snprintf(msg, sizeof msg, "Illegal option %c%c", a[0], *c);
          usage_error(msg);
        }
      }
    }
  }

  input *in = NULL;
  const char *command = NULL;
  if (cflag) {
    if (i >= argc) usage_error("-c requires an argument");
    command = argv[i++];
    if (i < argc) {
      sh.arg0 = argv[i++];
      sh.name = sh.arg0;
    }
  } else if (!sflag && i < argc) {
    const char *script = argv[i++];
    sh.arg0 = (char *)script;
    sh.name = script;
    int fd = open(script, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      sh.line = 0;
      sh_warn("cannot open %s: %s", script, errtext(e));
      exit(2);
    }
    in = in_fd(fd_move_high(fd), 1);
  } else {
    sh.o.stdin_cmds = true;
    if (iflag || (isatty(0) && isatty(2))) sh.o.interactive = true;
    in = in_fd(0, 1);
  }
  if (iflag) sh.o.interactive = true;
  if (sh.o.interactive) interactive_signals();
  params_set(&posparams, argv + i, argc - i);

  if (command) {
    sh.line = 1;
    eval_string(command, 1);
  } else {
    eval_input(in, true);
  }
  sh_exit(sh.status);
}
