"""Work that must be stoppable: run it in a forked child with a time limit."""

from __future__ import annotations

import os
import pickle
import signal
import time


def run_in_child(fn, timeout: float):
    """Run fn() in a forked child that shares this process's memory (a loaded store or graph).

    Returns ("ok", result) or ("error", "ExceptionName: message"), or None when the child ran out of time
    and was killed. The point: a SPARQL engine cannot be interrupted, a child can.

    >>> run_in_child(lambda: 6 * 7, 5)
    ('ok', 42)
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.close(read)
        try:
            data = pickle.dumps(("ok", fn()))
        except BaseException as exc:  # noqa: BLE001
            data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write, "wb") as fh:
            fh.write(data)
        os._exit(0)
    os.close(write)
    chunks, deadline = [], time.monotonic() + timeout
    with os.fdopen(read, "rb") as fh:
        os.set_blocking(fh.fileno(), False)
        while True:
            try:
                chunk = fh.read()
            except BlockingIOError:
                chunk = None
            if chunk:
                chunks.append(chunk)
            elif chunk == b"":
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            time.sleep(0.005)
    os.waitpid(pid, 0)
    return pickle.loads(b"".join(chunks))
