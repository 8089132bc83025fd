"""A small closed-loop HTTP load generator (asyncio, one connection per request).

gunicorn's sync workers close every connection, so each request opens a new
one; the static-file ceiling is measured the same way, which keeps the
comparison fair. Bounded by both a request count and a duration.
"""

import asyncio
import statistics
import time


async def _one(host, port, path, host_header):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n"
        "Accept-Encoding: identity\r\nUser-Agent: sitegroup-bench\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if len(data) > 12 else 0
    return status, data


async def _run(host, port, path, host_header, concurrency, duration, max_requests):
    latencies, statuses = [], {}
    deadline = time.perf_counter() + duration
    remaining = [max_requests]

    async def worker():
        while remaining[0] > 0 and time.perf_counter() < deadline:
            remaining[0] -= 1
            start = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(_one(host, port, path, host_header), 30)
            except (TimeoutError, OSError):
                status = -1
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    return latencies, statuses, elapsed


def measure(host, port, path, host_header, *, concurrency=8, duration=5.0, max_requests=20000):
    latencies, statuses, elapsed = asyncio.run(
        _run(host, port, path, host_header, concurrency, duration, max_requests)
    )
    latencies.sort()
    ok = statuses.get(200, 0)
    return {
        "requests": len(latencies),
        "ok": ok,
        "statuses": statuses,
        "rps": ok / elapsed if elapsed else 0.0,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0,
    }


def fetch(host, port, path, host_header):
    status, data = asyncio.run(_one(host, port, path, host_header))
    head, _, body = data.partition(b"\r\n\r\n")
    return status, head.decode("latin-1"), body


def wait_for_port(port, proc, what, attempts=200, pause=0.1):
    """Return once 127.0.0.1:``port`` accepts connections; kill ``proc`` and raise with its stderr if it never does."""
    import socket

    for _ in range(attempts):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(pause)
    proc.kill()
    raise RuntimeError(f"{what} did not start: " + proc.stderr.read().decode()[-2000:])
