"""The load generator the benchmarks share: gunicorn with the benchmark settings, and keep-alive
client threads that time each request."""

from __future__ import annotations

import http.client
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# send(conn, thread_index, n) makes the thread's n-th request on its connection and returns the response.
Send = Callable[[http.client.HTTPConnection, int, int], http.client.HTTPResponse]


def start_server(*, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:``port`` with ``env``; returns once /healthz answers."""
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def hammer(*, port: int, path: str, total: int, concurrency: int, send: Send) -> dict:
    """``total`` requests from ``concurrency`` threads, each on its own keep-alive connection;
    p50/p95 latency, requests per second and the non-200 answers."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    per_thread = total // concurrency

    def worker(index: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], []
        for n in range(per_thread):
            start = time.perf_counter()
            response = send(conn, index, n)
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                bad.append(response.status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "errors": len(errors),
        "error_codes": sorted(set(errors)),
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / wall,
    }
