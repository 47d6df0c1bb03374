"""Streams, transports and the loop's network API (chapter 07), on asyncio and on minloop.

The behaviour tests are parametrized over both backends: the same program must pass on
asyncio (which shows the test is right about asyncio) and on minloop. Everything talks to
127.0.0.1 or to Unix sockets in a temporary directory; every test has a timeout.
"""

import asyncio
import hashlib
import os
import random
import resource
import socket
import struct
import sys
import time

import pytest

import minloop

BACKENDS = ["asyncio", "minloop"]
MODULES = {"asyncio": asyncio, "minloop": minloop}


def run(backend, main, **kwargs):
    """Run ``main(aio)`` with ``aio`` the backend's module, on a fresh loop."""
    aio = MODULES[backend]
    return aio.run(main(aio), **kwargs)


def open_fds():
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def no_fd_leak():
    """Fail if the test leaves file descriptors open (sockets, selectors, self-pipes)."""
    before = open_fds()
    yield
    after = open_fds()
    assert after == before, f"{after - before} file descriptors leaked"


@pytest.fixture
def enough_fds():
    """1,000 connections need 2,000 fds (both ends) and more: raise the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4096
    if soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        if new < 2500:
            pytest.skip(f"fd limit too low ({soft}/{hard}) for 1,000 connections")
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def echo_handler(reader, writer):
    """Echo until EOF, then half-close back and close."""
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    finally:
        writer.close()


# ---------------------------------------------------------------- volume

@pytest.mark.timeout(120)
@pytest.mark.parametrize("backend", BACKENDS)
def test_echo_multi_megabyte_payloads_on_hundreds_of_connections(backend, no_fd_leak):
    n_conns, size = 200, 2 * 1024 * 1024

    async def client(aio, port, i):
        payload = random.Random(i).randbytes(size)
        reader, writer = await aio.open_connection("127.0.0.1", port)

        async def send():
            view = memoryview(payload)
            for start in range(0, size, 256 * 1024):   # writes of various sizes
                writer.write(view[start:start + 256 * 1024])
                await writer.drain()
            writer.write_eof()

        sender = aio.ensure_future(send())
        got = await reader.read()        # until the server's EOF
        await sender
        writer.close()
        await writer.wait_closed()
        return hashlib.sha256(got).digest() == hashlib.sha256(payload).digest()

    async def main(aio):
        server = await aio.start_server(echo_handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        results = await aio.gather(*(client(aio, port, i) for i in range(n_conns)))
        server.close()
        await server.wait_closed()
        return results

    assert run(backend, main) == [True] * n_conns


@pytest.mark.timeout(120)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_thousand_concurrent_short_connections(backend, enough_fds, no_fd_leak):
    n = 1000

    async def handle(reader, writer):
        line = await reader.readline()
        writer.write(b"re: " + line)
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    connected = 0

    async def client(aio, port, i, go):
        nonlocal connected
        reader, writer = await aio.open_connection("127.0.0.1", port)
        connected += 1
        await go      # all 1,000 connections open at the same time
        writer.write(b"hello %d\n" % i)
        reply = await reader.readline()
        writer.close()
        await writer.wait_closed()
        return reply

    async def main(aio):
        loop = aio.get_running_loop()
        server = await aio.start_server(handle, "127.0.0.1", 0, backlog=n)
        port = server.sockets[0].getsockname()[1]
        go = loop.create_future()
        clients = [aio.ensure_future(client(aio, port, i, go)) for i in range(n)]
        while connected < n:
            await aio.sleep(0.01)
        concurrent = open_fds()
        go.set_result(None)
        replies = await aio.gather(*clients)
        server.close()
        await server.wait_closed()
        return replies, concurrent

    replies, concurrent = run(backend, main)
    assert replies == [b"re: hello %d\n" % i for i in range(n)]
    assert concurrent >= 2 * n      # both ends of every connection were open at once


# ---------------------------------------------------------------- errors

def rst_close(sock):
    """Close with SO_LINGER 0: the kernel sends RST instead of FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("backend", BACKENDS)
def test_peer_reset_mid_message_and_server_keeps_serving(backend, no_fd_leak):
    async def main(aio):
        loop = aio.get_running_loop()
        errors = []
        reset_seen = loop.create_future()

        async def handle(reader, writer):
            try:
                size = int.from_bytes(await reader.readexactly(4), "big")
                body = await reader.readexactly(size)
                writer.write(hashlib.sha256(body).digest())
                await writer.drain()
            except (ConnectionResetError, aio.IncompleteReadError) as exc:
                errors.append(type(exc).__name__)
                if not reset_seen.done():
                    reset_seen.set_result(None)
            finally:
                writer.close()

        server = await aio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]

        async def good_client(i):
            body = random.Random(i).randbytes(300_000)
            reader, writer = await aio.open_connection("127.0.0.1", port)
            writer.write(len(body).to_bytes(4, "big"))
            for k in range(0, len(body), 50_000):
                writer.write(body[k:k + 50_000])
                await writer.drain()
                await aio.sleep(0)
            digest = await reader.readexactly(32)
            writer.close()
            await writer.wait_closed()
            return digest == hashlib.sha256(body).digest()

        async def rude_client():
            rude = socket.socket()
            rude.setblocking(False)
            await loop.sock_connect(rude, ("127.0.0.1", port))
            await loop.sock_sendall(rude, (1_000_000).to_bytes(4, "big") + b"x" * 1000)
            await aio.sleep(0.02)
            rst_close(rude)
            await reset_seen

        goods = [aio.ensure_future(good_client(i)) for i in range(20)]
        await rude_client()
        ok = await aio.gather(*goods)
        # And after the reset, a new client is still served.
        ok.append(await good_client(99))
        server.close()
        await server.wait_closed()
        return errors, ok

    errors, ok = run(backend, main)
    assert errors == ["ConnectionResetError"]
    assert ok == [True] * 21


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_client_reader_sees_reset_and_drain_raises(backend, no_fd_leak):
    async def main(aio):
        loop = aio.get_running_loop()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        connect = aio.ensure_future(aio.open_connection("127.0.0.1", port))
        conn, _ = await loop.sock_accept(listener)
        reader, writer = await connect
        await loop.sock_sendall(conn, b"partial")
        assert await reader.read(7) == b"partial"
        rst_close(conn)
        listener.close()
        outcome = []
        try:
            await reader.readexactly(10)
        except (ConnectionResetError, aio.IncompleteReadError) as exc:
            outcome.append(type(exc).__name__)
        try:
            writer.write(b"more")
            await writer.drain()
        except ConnectionResetError as exc:
            outcome.append(f"drain: {type(exc).__name__}")
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionResetError:
            outcome.append("wait_closed raised")
        return outcome

    assert run(backend, main) == ["ConnectionResetError", "drain: ConnectionResetError",
                                  "wait_closed raised"]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_half_close_both_ways(backend, no_fd_leak):
    async def main(aio):
        log = []

        async def handle(reader, writer):
            data = await reader.read()          # the client half-closed
            log.append(("server read", data, reader.at_eof()))
            writer.write(data[::-1])
            writer.write_eof()                  # and now we do
            log.append(("server closing?", writer.is_closing()))
            writer.close()

        server = await aio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await aio.open_connection("127.0.0.1", port)
        writer.write(b"abc")
        writer.write_eof()
        got = await reader.read()
        log.append(("client read", got, reader.at_eof()))
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return log

    assert run(backend, main) == [("server read", b"abc", True), ("server closing?", False),
                                  ("client read", b"cba", True)]


# ---------------------------------------------------------------- backpressure

@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_drain_pauses_a_writer_whose_peer_stops_reading(backend, no_fd_leak):
    chunk = b"x" * 16384

    async def main(aio):
        loop = aio.get_running_loop()
        server_side = []

        async def handle(reader, writer):
            server_side.append((reader, writer))

        server = await aio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await aio.open_connection("127.0.0.1", port)
        writer.transport.set_write_buffer_limits(high=256 * 1024)
        while not server_side:
            await aio.sleep(0)
        server_side[0][1].transport.pause_reading()     # the peer stops reading

        written = 0
        sizes = []

        async def writer_loop():
            nonlocal written
            while True:
                writer.write(chunk)
                written += len(chunk)
                await writer.drain()
                sizes.append(writer.transport.get_write_buffer_size())

        task = aio.ensure_future(writer_loop())
        await aio.sleep(0.3)
        stuck_at = written
        await aio.sleep(0.2)
        paused_for_real = written == stuck_at and not task.done()
        peak = writer.transport.get_write_buffer_size()

        # The peer reads again: drain() lets the writer go on.
        server_side[0][1].transport.resume_reading()
        peer_reader = server_side[0][0]
        total = 0
        while total < stuck_at + 1_000_000:
            total += len(await peer_reader.read(1 << 20))
        task.cancel()
        try:
            await task
        except aio.CancelledError:
            pass
        # abort(), not close(): close() would go on flushing a buffer the peer drops
        # unread, and the peer's close then resets the connection, a race that makes
        # wait_closed() raise ConnectionResetError on asyncio and minloop alike.
        writer.transport.abort()
        server_side[0][1].close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return paused_for_real, peak, stuck_at, written

    paused_for_real, peak, stuck_at, written = run(backend, main)
    assert paused_for_real, "the writer kept writing while its peer did not read"
    # The buffer stops just above the high-water mark (one chunk more at most)...
    assert 256 * 1024 < peak <= 256 * 1024 + 16384, peak
    # ...and what was accepted is bounded by the buffer plus the kernel's socket buffers.
    assert stuck_at < 256 * 1024 + 16384 + 16 * 1024 * 1024
    assert written > stuck_at, "drain() did not resume after the peer read again"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_reader_pauses_transport_above_twice_the_limit(backend, no_fd_leak):
    async def main(aio):
        async def handle(reader, writer):
            writer.write(b"y" * 1_000_000)
            await writer.drain()
            writer.close()

        server = await aio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await aio.open_connection("127.0.0.1", port, limit=1000)
        await aio.sleep(0.1)                  # let data arrive without reading it
        paused = not writer.transport.is_reading()
        buffered = len(reader._buffer)
        data = await reader.read()
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return paused, buffered, len(data)

    paused, buffered, total = run(backend, main)
    assert paused
    assert 2000 < buffered <= 2000 + 256 * 1024
    assert total == 1_000_000


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_protocol_errors_in_pause_writing_go_to_the_exception_handler(backend, no_fd_leak):
    class Faulty:
        def connection_made(self, transport):
            self.transport = transport

        def pause_writing(self):
            raise ZeroDivisionError("pause")

        def resume_writing(self):
            raise ZeroDivisionError("resume")

        def data_received(self, data):
            pass

        def eof_received(self):
            pass

        def connection_lost(self, exc):
            pass

    async def main(aio):
        loop = aio.get_running_loop()
        seen = []
        loop.set_exception_handler(lambda l, ctx: seen.append(
            (ctx["message"], type(ctx["exception"]).__name__, ctx["protocol"].__class__.__name__)))
        server = await loop.create_server(aio.Protocol, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        transport, protocol = await loop.create_connection(Faulty, "127.0.0.1", port)
        transport.set_write_buffer_limits(high=0)
        transport.write(b"z" * 10_000_000)   # more than the kernel takes: buffered
        while transport.get_write_buffer_size():
            await aio.sleep(0.01)
        transport.close()
        server.close()
        await server.wait_closed()
        await aio.sleep(0.01)
        return seen

    assert run(backend, main) == [
        ("protocol.pause_writing() failed", "ZeroDivisionError", "Faulty"),
        ("protocol.resume_writing() failed", "ZeroDivisionError", "Faulty"),
    ]


# ---------------------------------------------------------------- servers and fds

@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_servers_and_connections_leave_no_fds(backend, no_fd_leak):
    async def main(aio):
        for _ in range(5):
            server = await aio.start_server(echo_handler, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            pairs = [await aio.open_connection("127.0.0.1", port) for _ in range(10)]
            for reader, writer in pairs:
                writer.write(b"ping")
                assert await reader.readexactly(4) == b"ping"
            for reader, writer in pairs[:5]:
                writer.close()
                await writer.wait_closed()
            for reader, writer in pairs[5:]:
                writer.transport.abort()
            server.close()
            await server.wait_closed()
            await aio.sleep(0.01)   # let the server's side see EOF and close

    run(backend, main)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_unix_socket_echo(backend, tmp_path, no_fd_leak):
    path = str(tmp_path / "echo.sock")

    async def main(aio):
        server = await aio.start_unix_server(echo_handler, path)
        reader, writer = await aio.open_unix_connection(path)
        payload = os.urandom(3 * 1024 * 1024)
        writer.write(payload)
        writer.write_eof()
        got = await reader.read()
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return got == payload

    assert run(backend, main)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_add_reader_on_a_transport_socket_is_refused(backend, no_fd_leak):
    async def main(aio):
        server = await aio.start_server(echo_handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await aio.open_connection("127.0.0.1", port)
        fd = writer.get_extra_info("socket").fileno()
        loop = aio.get_running_loop()
        try:
            loop.add_reader(fd, print)
        except RuntimeError as exc:
            msg = str(exc)
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return msg

    assert run(backend, main).startswith("File descriptor ")


# ---------------------------------------------------------------- virtual time

@pytest.mark.timeout(30)
def test_streams_on_a_virtual_clock_wait_on_sockets_and_jump_over_sleeps(no_fd_leak):
    """Chapter 07 runs on virtual time: the loop must really wait for socket IO, and
    sleeps and timeouts still come out exact in virtual time.

    While sockets are registered, base_events._select_virtual lets select() really wait
    up to the next timer (IO from outside could arrive), so here a sleep costs its real
    duration too: small sleeps keep the test short."""
    aio = minloop

    async def handle(reader, writer):
        while line := await reader.readline():
            await aio.sleep(0.2)
            writer.write(line.upper())
            await writer.drain()
        writer.close()

    async def main():
        loop = aio.get_running_loop()
        t0 = loop.time()
        server = await aio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await aio.open_connection("127.0.0.1", port)
        replies = []
        for word in (b"one", b"two", b"three"):
            writer.write(word + b"\n")
            replies.append(await aio.wait_for(reader.readline(), timeout=5))
        try:
            await aio.wait_for(reader.readline(), timeout=1)   # nothing comes: times out
        except aio.TimeoutError:
            replies.append("timeout")
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return replies, loop.time() - t0

    start = time.monotonic()
    replies, elapsed = minloop.run(main(), clock=minloop.VirtualClock())
    assert replies == [b"ONE\n", b"TWO\n", b"THREE\n", "timeout"]
    assert elapsed == pytest.approx(1.6)      # 3 x sleep(0.2) + a 1 s timeout, exactly
    assert time.monotonic() - start < 10


@pytest.mark.timeout(30)
def test_numeric_getaddrinfo_needs_no_thread():
    async def main():
        loop = minloop.get_running_loop()
        infos = await loop.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)
        return infos, loop._default_executor

    infos, executor = minloop.run(main(), clock=minloop.VirtualClock())
    assert infos == socket.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)
    assert executor is None


@pytest.mark.timeout(30)
def test_name_lookup_through_the_executor_on_a_virtual_clock():
    async def main():
        loop = minloop.get_running_loop()
        infos = await loop.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
        names = await loop.getnameinfo(("127.0.0.1", 80),
                                       socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)
        return infos, names, loop._default_executor is not None

    infos, names, used_thread = minloop.run(main(), clock=minloop.VirtualClock())
    assert infos == socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
    assert names == ("127.0.0.1", "80")
    assert used_thread


# ---------------------------------------------------------------- what minloop leaves out

@pytest.mark.timeout(30)
def test_left_out_features_say_so(no_fd_leak):
    import ssl

    async def main():
        loop = minloop.get_running_loop()
        ctx = ssl.create_default_context()
        calls = [
            lambda: loop.create_connection(minloop.Protocol, "127.0.0.1", 1, ssl=ctx),
            lambda: loop.create_server(minloop.Protocol, "127.0.0.1", 0, ssl=ctx),
            lambda: minloop.open_connection("127.0.0.1", 1, ssl=True),
            lambda: loop.create_datagram_endpoint(minloop.DatagramProtocol,
                                                  local_addr=("127.0.0.1", 0)),
            lambda: loop.start_tls(None, None, ctx),
            lambda: loop.sendfile(None, None),
            lambda: loop.sock_sendfile(None, None),
            lambda: loop.sock_recvfrom(None, 1),
            lambda: loop.sock_sendto(None, b"", None),
        ]
        messages = []
        for call in calls:
            with pytest.raises(NotImplementedError) as info:
                await call()
            messages.append(str(info.value))
        return messages

    for message in minloop.run(main()):
        assert message.startswith("minloop leaves out "), message


def test_stream_exceptions_are_asyncios_classes():
    assert minloop.IncompleteReadError is asyncio.IncompleteReadError
    assert minloop.LimitOverrunError is asyncio.LimitOverrunError
    assert minloop.Protocol is asyncio.Protocol
    assert minloop.Transport is asyncio.Transport
    assert issubclass(minloop.selector_events._SelectorSocketTransport, asyncio.Transport)


@pytest.mark.timeout(30)
def test_asyncio_protocol_subclass_runs_on_minloop_and_back(no_fd_leak):
    """One protocol class, written against asyncio, driven by both loops' transports."""

    class Upper(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport = transport

        def data_received(self, data):
            self.transport.write(data.upper())
            self.transport.close()

    async def main(aio):
        loop = aio.get_running_loop()
        server = await loop.create_server(Upper, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await aio.open_connection("127.0.0.1", port)
        writer.write(b"shout")
        got = await reader.read()
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return got

    assert [run(b, main) for b in BACKENDS] == [b"SHOUT", b"SHOUT"]


# ---------------------------------------------------------------- happy eyeballs, lookups

@pytest.mark.timeout(30)
def test_staggered_race_like_asyncios():
    """minloop's happy-eyeballs race against asyncio.staggered.staggered_race: the first
    attempt hangs, the second fails, which starts the third at once; it wins, and the
    hanging one is cancelled."""
    import asyncio.staggered
    import functools
    from minloop.staggered import staggered_race as _staggered_race

    async def main(aio, race):
        loop = aio.get_running_loop()
        started = []

        async def attempt(i, delay, ok):
            started.append(i)
            await aio.sleep(delay)
            if not ok:
                raise OSError(f"attempt {i} failed")
            return f"attempt {i}"

        fns = [functools.partial(attempt, 0, 5.0, True),
               functools.partial(attempt, 1, 0.01, False),
               functools.partial(attempt, 2, 0.01, True)]
        result, index, excs = await race(fns, 0.05, loop=loop)
        return result, index, [type(e).__name__ if e else None for e in excs], started

    expected = ("attempt 2", 2, ["CancelledError", "OSError", None], [0, 1, 2])
    assert run("asyncio", lambda aio: main(aio, asyncio.staggered.staggered_race)) == expected
    assert run("minloop", lambda aio: main(aio, _staggered_race)) == expected
    # On a virtual clock, the 0.05 s delays take no real time.
    assert minloop.run(main(minloop, _staggered_race), clock=minloop.VirtualClock()) == expected


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_numeric_getaddrinfo_lets_other_tasks_run(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        steps = 0

        async def other():
            nonlocal steps
            while True:
                steps += 1
                await aio.sleep(0)

        t = aio.create_task(other())
        await aio.sleep(0)
        before = steps
        await loop.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)
        t.cancel()
        return steps - before

    assert run(backend, main) >= 1     # asyncio: more if its thread is slow
