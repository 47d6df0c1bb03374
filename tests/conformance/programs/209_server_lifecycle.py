"""Server: is_serving, start_serving=False, sockets, get_loop, close keeps connections, wait_closed, serve_forever cancelled, async with, closed-server errors.
"""


async def main():
    loop = asyncio.get_running_loop()

    async def handle(reader, writer):
        writer.write(await reader.read(100))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, '127.0.0.1', 0, start_serving=False)
    print('is_serving', server.is_serving(), 'get_loop ok', server.get_loop() is loop)
    print('sockets', len(server.sockets), type(server.sockets[0]).__name__)
    await server.start_serving()
    print('is_serving', server.is_serving())
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    server.close()
    print('after close: is_serving', server.is_serving(), 'sockets', server.sockets)
    writer.write(b'still works')
    print('open connection still served:', await reader.read(100))
    writer.close()
    await writer.wait_closed()
    await server.wait_closed()
    print('wait_closed done')
    try:
        await asyncio.open_connection('127.0.0.1', port)
    except ConnectionRefusedError as exc:
        print('closed server refuses:', type(exc).__name__, exc.errno)
    try:
        await server.serve_forever()
    except RuntimeError as exc:
        print('serve_forever on closed server:', str(exc).split(' <')[0], '... is closed' in str(exc) or str(exc).endswith('is closed'))

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    task = asyncio.ensure_future(server.serve_forever())
    await asyncio.sleep(0)
    try:
        await server.serve_forever()
    except RuntimeError as exc:
        print('second serve_forever:', 'already being awaited' in str(exc))
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print('serve_forever cancelled; is_serving', server.is_serving(), 'sockets', server.sockets)

    async with await asyncio.start_server(handle, '127.0.0.1', 0) as srv:
        print('async with: is_serving', srv.is_serving())
    print('after async with: is_serving', srv.is_serving())


asyncio.run(main())
