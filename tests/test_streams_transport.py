"""The socket transport and the sock_* helpers, side by side on asyncio and minloop.

Complements test_streams.py (streams under load) with the transport's contract: reprs,
connection_lost exactly once whatever ends the connection, registrations removed after
a cancelled sock_* call, name resolution through the executor.
"""

import asyncio
import re
import socket
import sys

import pytest

import minloop

BACKENDS = ["asyncio", "minloop"]
MODULES = {"asyncio": asyncio, "minloop": minloop}


def run(backend, main):
    aio = MODULES[backend]
    return aio.run(main(aio))


def both(main):
    return [run(b, main) for b in BACKENDS]


class Counting:
    """A protocol that records its callbacks."""

    def __init__(self):
        self.calls = []
        self.lost = None

    def connection_made(self, transport):
        self.transport = transport
        self.calls.append("made")

    def data_received(self, data):
        self.calls.append("data")

    def eof_received(self):
        self.calls.append("eof")

    def connection_lost(self, exc):
        self.calls.append(f"lost {type(exc).__name__}")
        if self.lost is not None and not self.lost.done():
            self.lost.set_result(None)

    def pause_writing(self):
        self.calls.append("pause")

    def resume_writing(self):
        self.calls.append("resume")


async def connected_pair(aio):
    """A client transport and protocol connected to a server transport and protocol."""
    loop = aio.get_running_loop()
    server_protos = []

    def factory():
        p = Counting()
        server_protos.append(p)
        return p

    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport, client = await loop.create_connection(Counting, "127.0.0.1", port)
    while not server_protos or not server_protos[0].calls:
        await aio.sleep(0)
    return server, transport, client, server_protos[0]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("ending", ["close", "abort", "close_then_abort", "abort_then_close",
                                    "peer_close", "fatal_then_close"])
def test_connection_lost_exactly_once(ending):
    async def main(aio):
        loop = aio.get_running_loop()
        loop.set_exception_handler(lambda l, ctx: None)
        server, transport, client, peer = await connected_pair(aio)
        client.lost = loop.create_future()
        if ending == "close":
            transport.close()
        elif ending == "abort":
            transport.abort()
        elif ending == "close_then_abort":
            transport.write(b"x" * 5_000_000)   # close() must wait for this; abort won't
            transport.close()
            transport.abort()
        elif ending == "abort_then_close":
            transport.abort()
            transport.close()
        elif ending == "peer_close":
            peer.transport.close()
        elif ending == "fatal_then_close":
            def boom(data):
                raise RuntimeError("boom")
            client.data_received = boom
            peer.transport.write(b"trigger")
        await client.lost
        transport.close()
        transport.abort()
        await aio.sleep(0.01)
        peer.transport.close()
        server.close()
        await server.wait_closed()
        return client.calls

    asyncio_calls, minloop_calls = both(main)
    assert asyncio_calls == minloop_calls
    assert sum(c.startswith("lost") for c in minloop_calls) == 1
    assert minloop_calls[-1].startswith("lost")


@pytest.mark.timeout(30)
def test_transport_reprs_match_asyncio():
    def fd_free(text):
        return re.sub(r"fd=\d+", "fd=N", text)

    async def main(aio):
        server, transport, client, peer = await connected_pair(aio)
        reprs = [repr(transport)]
        peer.transport.pause_reading()
        transport.write(b"y" * 10_000_000)           # more than the kernel takes
        reprs.append(re.sub(r"bufsize=\d+", "bufsize=B", repr(transport)))
        transport.abort()
        reprs.append(repr(transport))
        await aio.sleep(0)
        reprs.append(repr(transport))                 # after connection_lost
        peer.transport.close()
        server.close()
        await server.wait_closed()
        return [fd_free(r) for r in reprs]

    asyncio_reprs, minloop_reprs = both(main)
    assert minloop_reprs == asyncio_reprs
    assert minloop_reprs[0] == "<_SelectorSocketTransport fd=N read=polling write=<idle, bufsize=0>>"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_cancelled_sock_calls_leave_no_registration(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        a, b = socket.socketpair()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        for s in (a, b, listener):
            s.setblocking(False)
        before = len(loop._selector.get_map())
        for coro in (loop.sock_recv(a, 10), loop.sock_recv_into(a, bytearray(10)),
                     loop.sock_accept(listener)):
            task = aio.ensure_future(coro)
            await aio.sleep(0)
            registered = len(loop._selector.get_map()) == before + 1
            task.cancel()
            try:
                await task
            except aio.CancelledError:
                pass
            await aio.sleep(0)
            assert registered and len(loop._selector.get_map()) == before
        # sock_sendall that has to wait: fill the socket, then cancel.
        task = aio.ensure_future(loop.sock_sendall(a, b"z" * 50_000_000))
        await aio.sleep(0)
        task.cancel()
        try:
            await task
        except aio.CancelledError:
            pass
        await aio.sleep(0)
        left = len(loop._selector.get_map()) - before
        for s in (a, b, listener):
            s.close()
        return left

    assert run(backend, main) == 0


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_connect_by_name_goes_through_getaddrinfo(backend):
    async def main(aio):
        async def handle(reader, writer):
            writer.write(await reader.readline())
            writer.close()

        server = await aio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await aio.open_connection("localhost", port, family=socket.AF_INET)
        writer.write(b"by name\n")
        line = await reader.readline()
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return line

    assert run(backend, main) == b"by name\n"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_server_on_several_hosts_and_reuse(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        server = await loop.create_server(aio.Protocol, ["127.0.0.1", "127.0.0.1"], 0)
        n = len(server.sockets)          # the same address twice is bound once
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server2 = await loop.create_server(aio.Protocol, sock=sock)
        same = server2.sockets[0].fileno() == sock.fileno()
        for s in (server, server2):
            s.close()
            await s.wait_closed()
        return n, same, sock.fileno()

    assert run(backend, main) == (1, True, -1)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_bind_error_message(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        first = await loop.create_server(aio.Protocol, "127.0.0.1", 0)
        port = first.sockets[0].getsockname()[1]
        try:
            await loop.create_server(aio.Protocol, "127.0.0.1", port, reuse_address=False)
        except OSError as exc:
            msg = str(exc).replace(str(port), "PORT")
        first.close()
        await first.wait_closed()
        return msg

    expected = ("[Errno 98] error while attempting to bind on address "
                "('127.0.0.1', PORT): address already in use")
    if backend == "asyncio" and sys.version_info >= (3, 13):
        # asyncio 3.13 builds the message from str(exc), not exc.strerror; minloop mirrors 3.11.
        expected = expected.replace("): address", "): [errno 98] address")
    assert run(backend, main) == expected


@pytest.mark.timeout(30)
def test_minloop_transport_is_minloop_s_and_speaks_asyncio():
    async def main():
        server, transport, client, peer = await connected_pair(minloop)
        kind = type(transport).__module__
        peer.transport.close()
        transport.close()
        server.close()
        await server.wait_closed()
        return kind, isinstance(transport, asyncio.Transport)

    assert minloop.run(main()) == ("minloop.selector_events", True)
