"""The reader's limit: readline raises ValueError past it (dropping the line), readuntil raises LimitOverrunError and keeps the data; both messages and .consumed.
"""


async def main():
    r = asyncio.StreamReader(limit=8)
    r.feed_data(b'0123456789ABCDEF\nshort\n')
    try:
        await r.readline()
    except ValueError as exc:
        print('readline:', type(exc).__name__, exc)
    print('next line', await r.readline())

    r = asyncio.StreamReader(limit=8)
    r.feed_data(b'0123456789AB')
    try:
        await r.readuntil(b'!')
    except asyncio.LimitOverrunError as exc:
        print('readuntil not found:', type(exc).__name__, exc, 'consumed', exc.consumed)
    print('data kept:', await r.read(100))

    r = asyncio.StreamReader(limit=8)
    r.feed_data(b'0123456789AB!rest')
    try:
        await r.readuntil(b'!')
    except asyncio.LimitOverrunError as exc:
        print('readuntil found late:', exc, 'consumed', exc.consumed)
        print('is a ValueError?', isinstance(exc, ValueError), 'is an Exception?', isinstance(exc, Exception))
    print('data kept:', await r.read(100))

    for bad in (0, -1):
        try:
            asyncio.StreamReader(limit=bad)
        except ValueError as exc:
            print(f'limit={bad}:', exc)

    # over the network: a line longer than limit sent by the server
    async def handle(reader, writer):
        writer.write(b'x' * 50 + b'\nok\n')
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port, limit=16)
    try:
        await reader.readline()
    except ValueError as exc:
        print('network readline:', exc)
    print('then', await reader.readline())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
