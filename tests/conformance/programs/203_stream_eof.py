"""EOF on a stream: read() returns what is left then b'', at_eof() turns True only when the buffer is empty, readline returns a partial line, async iteration stops.
"""


async def main():
    async def handle(reader, writer):
        writer.write(b'line one\nline two\ntail without newline')
        writer.close()

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    print('first line', await reader.readline())
    async for line in reader:
        print('iterated', line, 'at_eof', reader.at_eof())
    print('after loop: at_eof', reader.at_eof())
    print('readline at EOF', await reader.readline())
    print('read at EOF', await reader.read(10))
    print('read(-1) at EOF', await reader.read())
    print('readexactly(0)', await reader.readexactly(0))
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    # the same from a reader fed by hand (no transport)
    r = asyncio.StreamReader()
    r.feed_data(b'abc')
    r.feed_eof()
    print('fed: at_eof', r.at_eof(), await r.read(), 'at_eof', r.at_eof())


asyncio.run(main())
