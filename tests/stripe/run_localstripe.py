"""Runs localstripe (a stateful Stripe API stand-in, from PyPI) for the tests, on loopback.

Unlike its own `localstripe` command, this one:
- listens on 127.0.0.1 only (the command listens on every interface);
- keeps its state in memory only (the command shares /tmp/localstripe.pickle between every
  instance on the machine, so parallel test runs would see each other's objects);
- picks a free port when given 0, and prints `listening on http://127.0.0.1:PORT` once ready;
- exits when its standard input closes, so it never outlives the test process that started it.

Usage: .local/venv/bin/python tests/stripe/run_localstripe.py [PORT]
"""

import asyncio
import os
import socket
import sys
import threading

from aiohttp import web
from localstripe import resources
from localstripe.server import app


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


async def serve(port):
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    await web.SockSite(runner, sock).start()
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    resources.Store.dump_to_disk = lambda self: None
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
