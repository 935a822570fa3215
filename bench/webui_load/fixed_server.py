"""A server that answers every request at once with a fixed page: the load generator's ceiling is measured
against it (``python -m bench.webui_load.fixed_server PORT BYTES``; it stops on SIGTERM)."""

from __future__ import annotations

import asyncio
import sys


def answer(size: int) -> bytes:
    body = b"x" * size
    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {size}\r\nConnection: keep-alive\r\n\r\n"
    return head.encode("latin-1") + body


async def serve(port: int, size: int) -> None:
    page = answer(size)

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(page)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(client, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2])))
