"""Runs a command as a child subreaper and waits for every process it leaves, so their CPU time
reaches this process's parent (bench:sandbox). bwrap's outer process returns as soon as the job's
first process exits, without waiting for the sandbox's init: without a subreaper that init is
reparented away and its CPU seconds are lost to the bench."""

import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit(f"reap.py: prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")
first = os.fork()
if first == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
code = 1
while True:
    try:
        pid, status = os.wait()
    except ChildProcessError:
        break
    if pid == first:
        code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
