"""A closed-loop HTTP/1.1 load generator on asyncio streams: ``connections`` keep-alive connections, each sending
its next request as soon as the answer to the last one is read, for ``seconds`` after ``warmup`` seconds.

Raw streams rather than an HTTP library: a request costs the generator some tens of microseconds, so on the
same two cores as the server it takes little from what it measures (its CPU time is reported, and
``calibrate`` measures its ceiling against a fixed answer). Each connection keeps the cookies it is given, as a
browser tab would.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

ANSWER_TIMEOUT = 10.0  # seconds for one answer; a connection that waits longer counts an error and reconnects


@dataclass
class LoadResult:
    connections: int
    seconds: float  # the measured window
    latencies_ms: list[float] = field(default_factory=list)  # successful answers (status 200) in the window
    errors: int = 0  # other statuses, timeouts, broken connections in the window
    statuses: dict[int, int] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # the generator's own CPU time over the window

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    @property
    def cpu_share(self) -> float:
        """The generator's CPU time as a share of one core over the window."""
        return self.cpu_seconds / self.seconds


def request_bytes(host: str, path: str, cookies: dict[str, str], extra: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "User-Agent: huiqi-bench", "Accept: text/html"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, list[str]], int]:
    """(status, headers, body length) of one answer; its body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "content-length" in headers:
        length = int(headers["content-length"][0])
        await reader.readexactly(length)
        return status, headers, length
    if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:
                return status, headers, total
    return status, headers, len(await reader.read())  # no length: the body ends with the connection


async def _connection(host: str, port: int, paths: list[str], window: tuple[float, float], result: LoadResult,
                      offset: int) -> None:  # fmt: skip
    cookies: dict[str, str] = {}
    reader = writer = None
    turn = offset
    while time.perf_counter() < window[1]:
        if writer is None:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), ANSWER_TIMEOUT)
            except (OSError, TimeoutError):
                result.errors += time.perf_counter() >= window[0]
                await asyncio.sleep(0.1)
                continue
        assert reader is not None
        path = paths[turn % len(paths)]
        turn += 1
        sent = time.perf_counter()
        try:
            writer.write(request_bytes(f"{host}:{port}", path, cookies))
            status, headers, _ = await asyncio.wait_for(read_answer(reader), ANSWER_TIMEOUT)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            result.errors += sent >= window[0]
            writer.close()
            reader = writer = None
            continue
        answered = time.perf_counter()
        for cookie in headers.get("set-cookie", []):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
        if window[0] <= sent and answered <= window[1]:
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status == 200:
                result.latencies_ms.append((answered - sent) * 1000)
            else:
                result.errors += 1
        if "close" in ",".join(headers.get("connection", [])).lower():
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _load(host: str, port: int, paths: list[str], connections: int, seconds: float, warmup: float,
                progress=None) -> LoadResult:  # fmt: skip
    start = time.perf_counter() + warmup
    window = (start, start + seconds)
    result = LoadResult(connections, seconds)
    tasks = [asyncio.create_task(_connection(host, port, paths, window, result, n)) for n in range(connections)]
    cpu_start = None
    while not all(task.done() for task in tasks):
        now = time.perf_counter()
        if cpu_start is None and now >= window[0]:
            cpu_start = time.process_time()
        await asyncio.wait(tasks, timeout=0.5 if cpu_start is not None else min(0.5, window[0] - now))
        if progress is not None:
            progress()
    cpu_end = time.process_time()
    for task in tasks:
        task.result()  # a bug in a connection's loop surfaces here
    result.cpu_seconds = cpu_end - (cpu_start if cpu_start is not None else cpu_end)
    return result


def load(base_url: str, paths: list[str], connections: int, seconds: float, warmup: float = 2.0,
         progress=None) -> LoadResult:  # fmt: skip
    """Drive ``paths`` (in turn) over ``connections`` connections for ``warmup`` + ``seconds``; the window's
    figures. ``progress``: called about twice a second."""
    hostport = base_url.removeprefix("http://").split("/", 1)[0]
    host, _, port = hostport.partition(":")
    return asyncio.run(_load(host, int(port or 80), paths, connections, seconds, warmup, progress))
