"""The production server as `make serve` runs it (gunicorn, two workers, the production
settings) on a free port of 127.0.0.1, and the load put on it: wrk when installed, else a
threaded Python client.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.environment import DATA_DIR, ROOT, server_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with two workers under the production settings, as `make serve` runs it, on a
    free port of 127.0.0.1. Stopped (by its own process id) on leaving the block."""

    def __init__(self, *, url: str, settings_module: str):
        self.port = free_port()
        self.env = server_env(url, settings_module)
        self.process: subprocess.Popen | None = None
        self.log = DATA_DIR / f"gunicorn-{settings_module.rsplit('.', 1)[-1]}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log_file:
            self.process = subprocess.Popen(
                [
                    str(gunicorn), "scrutiny.wsgi:application",
                    "--bind", f"127.0.0.1:{self.port}",
                    "--workers", "2",
                    "--access-logfile", "-",
                    "--forwarded-allow-ips", "127.0.0.1",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up (see {self.log})")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def warm(self, path: str, count: int = 8) -> int:
        status = 0
        for _ in range(count):
            try:
                with urllib.request.urlopen(self.base + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
        return status


@dataclass
class Load:
    rps: float
    requests: int
    errors: int
    latency: str = ""


def wrk_load(url: str, *, seconds: int, connections: int = 4) -> Load:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if not rps:
        raise RuntimeError(f"wrk gave no figure: {out.strip()[:200]}")
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(0)))
    latency = f"p50 {p50.group(1)}, p99 {p99.group(1)}" if p50 and p99 else ""
    return Load(float(rps.group(1)), int(total.group(1)) if total else 0, errors, latency)


def python_load(url: str, *, seconds: int, connections: int = 4) -> Load:
    """Without wrk: `connections` threads requesting `url` in a loop until the time is up."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    counts = [0] * connections
    errors = [0] * connections
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            try:
                conn.request("GET", parts.path or "/")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return Load(sum(counts) / elapsed, sum(counts) + sum(errors), sum(errors))
