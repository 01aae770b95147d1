"""Work that must be stoppable: run it in a forked child with limits on time, memory and files.

A SPARQL engine cannot be interrupted, but a child process can be killed. The child shares the parent's
memory at the moment of the fork (a loaded store costs nothing to hand over) and runs under limits the
kernel enforces, so a runaway query stops even if the parent is busy or gone:

- *time*: the parent kills the child at the deadline; ``RLIMIT_CPU`` and the parent-death signal are the
  backstops;
- *memory*: ``RLIMIT_AS`` allows the child this much more address space than it started with; past it an
  allocation fails and the child ends;
- *isolated*: the child may open no new file or socket (``RLIMIT_NOFILE`` at the descriptors it has), so
  whatever the work asks for, nothing leaves the machine from it.

The children are forked from whichever thread asks; nothing but the child touches the shared store
after the fork, and everything the child needs is imported before it.
"""

from __future__ import annotations

import math
import os
import pickle
import resource
import select
import signal
import time
from typing import NamedTuple


class Outcome(NamedTuple):
    """How a child ended: ``ok`` (value: the result), ``error`` (value: "ExceptionName: message"),
    ``timeout`` (killed at the deadline), ``memory`` (ran out of its memory allowance) or ``died``
    (value: the signal that ended it)."""

    status: str
    value: object = None


def die_with_parent() -> bool:
    """Ask the kernel to kill this process when the thread that started it ends (Linux); False where it cannot."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return False


def _address_space() -> int:
    """Bytes of address space this process has now."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _no_new_files() -> None:
    """Fill every free descriptor number below the highest open one, then cap the count there."""
    top = max(int(n) for n in os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 2
    while True:  # os.open takes the lowest free number: fill the gaps, stop past the top
        fd = os.open(os.devnull, os.O_RDONLY)
        if fd > top:
            os.close(fd)
            break
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (top + 1, hard))


def _limit_child(timeout: float, memory_mb: int | None, isolated: bool) -> None:
    die_with_parent()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # an engine's own messages (an allocator's last words) stay out of the parent's log
    os.close(devnull)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = math.ceil(timeout) + 1
    hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard_cpu == resource.RLIM_INFINITY or hard_cpu > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1 if hard_cpu == resource.RLIM_INFINITY else hard_cpu))
    if memory_mb is not None:
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory_mb * 2**20,
                                                resource.getrlimit(resource.RLIMIT_AS)[1]))
    if isolated:
        _no_new_files()


def run_in_child(fn, timeout: float, memory_mb: int | None = None, isolated: bool = False) -> Outcome:
    """Run fn() in a forked child that shares this process's memory (a loaded store or graph).

    *timeout* seconds of wall time; *memory_mb* more megabytes of address space than the child starts
    with (None: no limit); *isolated*: no new files or sockets in the child.

    >>> run_in_child(lambda: 6 * 7, 5)
    Outcome(status='ok', value=42)
    >>> run_in_child(lambda: open("/etc/hostname").read(), 5, isolated=True).status
    'error'
    >>> run_in_child(lambda: bytearray(400 * 2**20), 5, memory_mb=100).status
    'memory'
    >>> run_in_child(lambda: time.sleep(3), 0.2).status
    'timeout'
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.close(read)
        try:
            _limit_child(timeout, memory_mb, isolated)
            data = pickle.dumps(Outcome("ok", fn()))
        except MemoryError:
            data = pickle.dumps(Outcome("memory"))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
            data = pickle.dumps(Outcome("error", f"{type(exc).__name__}: {exc}"))
        view = memoryview(data)
        while view:
            view = view[os.write(write, view):]
        os._exit(0)
    os.close(write)
    chunks, deadline, timed_out = [], time.monotonic() + timeout, False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read], [], [], left)
            if ready:
                chunk = os.read(read, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return Outcome("timeout")
    if chunks:
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - a child killed while writing
            pass
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:  # the CPU-time backstop
            return Outcome("timeout")
        if sig == signal.SIGABRT and memory_mb is not None:  # a native allocator gives up by aborting
            return Outcome("memory")
        return Outcome("died", signal.Signals(sig).name)
    return Outcome("died", f"exit status {os.WEXITSTATUS(status)}")
