"""policy-kg publish under fault: tiny misbehaving HTTP servers on loopback (real sockets, no mocks).

Each server runs in threads of the test process: one that accepts and never answers, one that drips its
response headers a byte at a time, one that records the request and answers, and a few that break the
exchange in other ways (reset, not TLS, not HTTP). Publishing must end within its deadline with one line
on stderr, exit code 2 and no traceback, and never print a credential.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.ttl"  # small: loading it costs next to nothing beside the timeouts
SECRETS = ("SECRET", "p%40ss", "p@ss", "hunter22")


@contextlib.contextmanager
def tcp_server(handle):
    """Listen on a free loopback port; run ``handle(conn, stop)`` in a thread for each connection."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    workers = []

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            worker = threading.Thread(target=_run, args=(handle, conn, stop), daemon=True)
            worker.start()
            workers.append(worker)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for worker in workers:
            worker.join(5)


def _run(handle, conn, stop):
    with conn:
        try:
            handle(conn, stop)
        except OSError:  # the client went away: what these servers are for
            pass


def _receive(conn, stop, data: bytes, enough) -> bytes:
    """Bytes from *conn* added to *data* until enough(data), the peer closes or the test ends."""
    conn.settimeout(0.1)
    while not enough(data) and not stop.is_set():
        try:
            chunk = conn.recv(65536)
        except (TimeoutError, socket.timeout):
            continue
        if not chunk:
            break
        data += chunk
    return data


def read_request(conn, stop) -> tuple[str, dict[str, str], bytes]:
    """The request line, headers (lower-cased names) and body of one HTTP/1.1 request."""
    data = _receive(conn, stop, b"", lambda d: b"\r\n\r\n" in d)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", 0))
    body = _receive(conn, stop, body, lambda d: len(d) >= length)
    return lines[0], headers, body


def silent(conn, stop):
    """Accepts, reads, never answers (until the client leaves or the test ends)."""
    conn.settimeout(0.1)
    while not stop.is_set():
        try:
            if not conn.recv(65536):
                return
        except (TimeoutError, socket.timeout):
            pass


def drip(conn, stop):
    """Answers a status line, then one byte of a header every 0.2 s, forever."""
    read_request(conn, stop)
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Drip: ")
    while not stop.is_set():
        conn.sendall(b"a")
        time.sleep(0.2)


class Recorder:
    """Records each request (line and headers) and answers *status* with *body*."""

    def __init__(self, status: bytes = b"204 No Content", body: bytes = b""):
        self.status, self.body, self.requests = status, body, []

    def __call__(self, conn, stop):
        line, headers, body = read_request(conn, stop)
        self.requests.append((line, headers, body))
        conn.sendall(b"HTTP/1.1 " + self.status + b"\r\nContent-Length: " + str(len(self.body)).encode()
                     + b"\r\nConnection: close\r\n\r\n" + self.body)


def reset(conn, stop):
    """Reads the request and drops the connection with a TCP reset."""
    read_request(conn, stop)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def not_http(conn, stop):
    """Answers something that is not HTTP."""
    read_request(conn, stop)
    conn.sendall(b"hello, this is not HTTP\r\n\r\n")


def plain_text_at_once(conn, stop):
    """Answers plain HTTP without reading (a TLS client gets no server hello)."""
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    time.sleep(0.5)


def publish(*args, env=None):
    start = time.monotonic()
    result = CliRunner(env=env).invoke(main, ["publish", str(MINI), *args])
    return result, time.monotonic() - start


def one_error_line(result) -> str:
    """The run ended as the toolkit's errors do: exit 2, one line on stderr, no exception left over."""
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("policy-kg: error: "), result.stderr
    return lines[0]


def no_secret(result):
    for secret in SECRETS:
        assert secret not in result.stdout and secret not in result.stderr, (secret, result.stdout, result.stderr)


# -- (a) a server that never answers; (b) one that drips its headers --------------------------------------
@pytest.mark.parametrize("behaviour", [silent, drip], ids=["silent", "dripping"])
def test_unanswering_server_times_out(behaviour):
    with tcp_server(behaviour) as port:
        result, seconds = publish("--endpoint", f"http://127.0.0.1:{port}/store", "--timeout", "1")
    line = one_error_line(result)
    assert line == f"policy-kg: error: http://127.0.0.1:{port}/store: no complete answer within 1 s"
    assert 0.9 <= seconds < 3, seconds


def test_timeout_message_is_redacted():
    with tcp_server(drip) as port:
        result, _ = publish("--endpoint", f"http://user:p%40ss@127.0.0.1:{port}/store?token=SECRET",
                            "--timeout", "0.5")
    line = one_error_line(result)
    assert line == (f"policy-kg: error: http://user:***@127.0.0.1:{port}/store?token=***: "
                    "no complete answer within 0.5 s")
    no_secret(result)


def test_timeout_must_be_positive():
    result, _ = publish("--endpoint", "http://127.0.0.1:9/store", "--timeout", "0")
    assert result.exit_code == 2 and "--timeout" in result.stderr


# -- (c) credentials: user-info is basic auth, never printed ----------------------------------------------
def test_userinfo_is_basic_auth_and_not_printed():
    recorder = Recorder()
    with tcp_server(recorder) as port:
        result, _ = publish("--endpoint", f"http://user:p%40ss@127.0.0.1:{port}/store")
    assert result.exit_code == 0, result.stderr
    (line, headers, body), = recorder.requests
    assert headers["authorization"] == "Basic " + base64.b64encode(b"user:p@ss").decode()
    assert line.startswith("PUT /store?graph=https%3A%2F%2Fexample.org%2Fid%2Fdoc%2Fgraph HTTP/1.1")
    assert headers["host"] == f"127.0.0.1:{port}"  # the login is not taken for the host
    assert len(Graph().parse(data=body.decode("utf-8"), format="turtle")) == 143
    assert result.stdout == (f"published {MINI} (143 triples) to <https://example.org/id/doc/graph> "
                             f"at http://user:***@127.0.0.1:{port}/store: HTTP 204\n")
    no_secret(result)


def test_token_in_query_is_sent_not_printed():
    recorder = Recorder()
    with tcp_server(recorder) as port:
        result, _ = publish("--endpoint", f"http://127.0.0.1:{port}/store?token=SECRET")
    assert result.exit_code == 0, result.stderr
    (line, headers, _), = recorder.requests
    assert line.startswith("PUT /store?token=SECRET&graph=")  # sent to the store as given
    assert "authorization" not in headers
    assert f"at http://127.0.0.1:{port}/store?token=***: HTTP 204" in result.stdout
    no_secret(result)


def test_error_answer_is_redacted():
    """A store that echoes the credentials in its error body: the line names the status, not the secrets."""
    recorder = Recorder(b"401 Unauthorized", b"bad token SECRET for user:p@ss (hunter22)\n")
    with tcp_server(recorder) as port:
        result, _ = publish("--endpoint", f"http://user:p%40ss@127.0.0.1:{port}/store?api_key=hunter22&token=SECRET")
    line = one_error_line(result)
    assert line.startswith(f"policy-kg: error: http://user:***@127.0.0.1:{port}/store?api_key=***&token=***"
                           " answered 401 Unauthorized")
    no_secret(result)


def test_refused_connection_is_redacted():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result, _ = publish("--endpoint", f"http://user:p%40ss@127.0.0.1:{port}/store?token=SECRET")
    line = one_error_line(result)
    assert line.startswith(f"policy-kg: error: cannot reach http://user:***@127.0.0.1:{port}/store?token=***: ")
    no_secret(result)


def test_user_from_the_environment():
    recorder = Recorder()
    with tcp_server(recorder) as port:
        result, _ = publish("--endpoint", f"http://127.0.0.1:{port}/store", env={"POLICY_KG_USER": "name:hunter22"})
    assert result.exit_code == 0, result.stderr
    assert recorder.requests[0][1]["authorization"] == "Basic " + base64.b64encode(b"name:hunter22").decode()
    no_secret(result)


def test_user_and_userinfo_must_agree():
    recorder = Recorder()
    with tcp_server(recorder) as port:
        same, _ = publish("--endpoint", f"http://user:p%40ss@127.0.0.1:{port}/store", "--user", "user:p@ss")
        other, _ = publish("--endpoint", f"http://user:p%40ss@127.0.0.1:{port}/store", "--user", "name:hunter22")
        env, _ = publish("--endpoint", f"http://user:p%40ss@127.0.0.1:{port}/store",
                         env={"POLICY_KG_USER": "name:hunter22"})
    assert same.exit_code == 0, same.stderr
    for result in (other, env):
        assert "--user" in one_error_line(result)
        no_secret(result)
    assert len(recorder.requests) == 1  # nothing sent when they differ


def test_help_names_the_options():
    result = CliRunner().invoke(main, ["publish", "--help"])
    assert result.exit_code == 0
    assert "--timeout" in result.stdout and "POLICY_KG_USER" in result.stdout


def test_a_bad_endpoint_is_not_echoed():
    for endpoint in ("ftp://user:hunter22@host/store", "http://user:hunter22@host:port/store", "http:///store"):
        result, _ = publish("--endpoint", endpoint)
        one_error_line(result)
        no_secret(result)


# -- other network errors: one line naming the (redacted) URL --------------------------------------------
@pytest.mark.parametrize("handle, scheme", [(reset, "http"), (not_http, "http"), (plain_text_at_once, "https")])
def test_network_errors(handle, scheme):
    with tcp_server(handle) as port:
        result, seconds = publish("--endpoint", f"{scheme}://user:p%40ss@127.0.0.1:{port}/store?token=SECRET",
                                  "--timeout", "5")
    line = one_error_line(result)
    assert f"{scheme}://user:***@127.0.0.1:{port}/store?token=***" in line
    assert "no complete answer" not in line and seconds < 4, (line, seconds)  # failed at once, not by the deadline
    no_secret(result)


def test_unknown_host():
    result, seconds = publish("--endpoint", "http://user:hunter22@nosuch.invalid/store", "--timeout", "2")
    line = one_error_line(result)
    assert "http://user:***@nosuch.invalid/store" in line and seconds < 4, (line, seconds)
    no_secret(result)


# -- the real command in its own process ------------------------------------------------------------------
@pytest.mark.slow
def test_command_against_a_dripping_server():
    with tcp_server(drip) as port:
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "kg", "publish", str(MINI), "--endpoint",
                               f"http://user:p%40ss@127.0.0.1:{port}/store?token=SECRET", "--timeout", "1"],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        seconds = time.monotonic() - start
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (f"policy-kg: error: http://user:***@127.0.0.1:{port}/store?token=***: "
                           "no complete answer within 1 s\n")
    assert proc.stdout == ""
    assert seconds < 10, seconds  # the interpreter's start and imports, then the 1 s deadline
