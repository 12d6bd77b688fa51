#!/usr/bin/env python3
"""Runs a command on a fresh host pseudo-terminal and drives it (tests/tty/run-pty.test.ts).

argv[1]: JSON {"rows": R, "cols": C, "cmd": [...], "steps": [...], "timeout": S}; steps are
{"wait": REGEX} (until the output so far matches), {"send": TEXT}, {"repeat": TEXT, "until":
REGEX} (sent every second until the output matches), {"resize": [R, C]} (the
pty's size, then SIGWINCH to the command's process group, as a terminal emulator does) and
{"sleep": S}. Prints one JSON line: {"output": TEXT, "status": N, "error": MSG|null}.
"""
import fcntl, json, os, re, select, signal, struct, subprocess, sys, termios, time

spec = json.loads(sys.argv[1])
deadline = time.time() + spec.get("timeout", 30)
master, slave = os.openpty()
def setsize(rows, cols):
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
setsize(spec["rows"], spec["cols"])

def child_setup():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)

proc = subprocess.Popen(spec["cmd"], stdin=slave, stdout=slave, stderr=slave, preexec_fn=child_setup, close_fds=True)
os.close(slave)
out = b""
error = None

def pump(wait):
    """Reads what the pty has within `wait` s: 'data', 'idle' or 'eof'."""
    global out
    r, _, _ = select.select([master], [], [], wait)
    if not r:
        return "idle"
    try:
        data = os.read(master, 65536)
    except OSError:
        return "eof"
    if not data:
        return "eof"
    out += data
    return "data"

try:
    for step in spec["steps"]:
        if "wait" in step:
            pat = re.compile(step["wait"].encode("latin1"), re.S)
            while not pat.search(out):
                if time.time() > deadline:
                    raise TimeoutError("waiting for %r" % step["wait"])
                if pump(0.1) == "eof" and proc.poll() is not None:
                    raise EOFError("ended before %r" % step["wait"])
        elif "repeat" in step:
            # Sends TEXT every second until the output matches (a signal that came before
            # the program was waiting for it was handled then, not where the test looks).
            pat = re.compile(step["until"].encode("latin1"), re.S)
            next_send = 0
            while not pat.search(out):
                if time.time() > deadline:
                    raise TimeoutError("repeating %r until %r" % (step["repeat"], step["until"]))
                if time.time() >= next_send:
                    os.write(master, step["repeat"].encode("latin1"))
                    next_send = time.time() + 1
                pump(0.05)
        elif "send" in step:
            os.write(master, step["send"].encode("latin1"))
        elif "resize" in step:
            rows, cols = step["resize"]
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.killpg(proc.pid, signal.SIGWINCH)
        elif "sleep" in step:
            end = time.time() + step["sleep"]
            while time.time() < end:
                pump(0.05)
    while proc.poll() is None and time.time() < deadline:
        pump(0.05)
    if proc.poll() is None:
        raise TimeoutError("the command did not end")
    while pump(0.2) == "data":  # what it wrote last
        pass
except Exception as e:  # reported, and the command is killed
    error = "%s: %s" % (type(e).__name__, e)
if proc.poll() is None:
    proc.kill()
status = proc.wait()
print(json.dumps({"output": out.decode("latin1"), "status": status, "error": error}))
