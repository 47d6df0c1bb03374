"""How many loop iterations the network layer's awaits take when no I/O is waited for: start_server (a gather of lookups, then one more), start_serving, drain, buffered reads, wait_closed, sock_* on a ready socket, connect_accepted_socket.

A ticker task counts iterations (one step each); every await here completes without waiting
on the network, so the counts are fixed.
"""
import socket


async def main():
    loop = asyncio.get_running_loop()
    steps = 0

    async def ticker():
        nonlocal steps
        while True:
            steps += 1
            await asyncio.sleep(0)

    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)

    async def count(name, aw):
        before = steps
        result = await aw
        print(f'{name}: {steps - before}')
        return result

    async def handle(reader, writer):
        await reader.read()
        writer.close()

    srv = await count('start_server', asyncio.start_server(handle, '127.0.0.1', 0))
    srv2 = await count('start_server, two hosts',
                       asyncio.start_server(handle, ['127.0.0.1', '127.0.0.1'], 0))
    srv3 = await count('start_server(start_serving=False)',
                       asyncio.start_server(handle, '127.0.0.1', 0, start_serving=False))
    await count('start_serving', srv3.start_serving())
    await count('start_serving again', srv3.start_serving())
    reader, writer = await asyncio.open_connection('127.0.0.1', srv.sockets[0].getsockname()[1])
    await count('drain', writer.drain())
    reader.feed_data(b'abc\n')
    await count('readline, buffered', reader.readline())
    await count('read(0)', reader.read(0))
    writer.close()
    before = steps
    try:
        await writer.drain()
    except ConnectionResetError as exc:
        print(f'drain while closing: {steps - before}, then {type(exc).__name__}: {exc}')
    await count('wait_closed', writer.wait_closed())
    await count('wait_closed again', writer.wait_closed())
    srv.close()
    await count('server wait_closed after close', srv.wait_closed())
    srv2.close()
    srv3.close()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.send(b'x')
    await count('sock_recv, data ready', loop.sock_recv(a, 10))
    await count('sock_sendall, room', loop.sock_sendall(a, b'y'))
    tr, _ = await count('connect_accepted_socket',
                        loop.connect_accepted_socket(asyncio.Protocol, a))
    tr.close()
    b.close()
    t.cancel()


asyncio.run(main())
