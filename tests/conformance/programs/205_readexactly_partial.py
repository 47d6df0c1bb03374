"""readexactly at EOF raises IncompleteReadError with .partial and .expected and asyncio's message; readexactly(-1) is a ValueError.
"""


async def main():
    r = asyncio.StreamReader()
    r.feed_data(b'abcde')
    r.feed_eof()
    print(await r.readexactly(2))
    try:
        await r.readexactly(10)
    except asyncio.IncompleteReadError as exc:
        print(type(exc).__name__, '|', exc, '|', exc.partial, exc.expected)
        print('is EOFError', isinstance(exc, EOFError))
    print('buffer emptied:', await r.read(), r.at_eof())
    try:
        await r.readexactly(-1)
    except ValueError as exc:
        print('ValueError', exc)

    async def handle(reader, writer):
        writer.write(b'12345')
        writer.close()

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    try:
        await reader.readexactly(8)
    except asyncio.IncompleteReadError as exc:
        print('network:', exc, exc.partial)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
