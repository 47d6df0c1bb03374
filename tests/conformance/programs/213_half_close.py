"""Half-close both ways: the client's write_eof reaches the server as EOF while the server can still answer; then the server's write_eof ends the client's reads.
"""


async def main():
    async def handle(reader, writer):
        data = await reader.read()            # until the client's EOF
        print('server read until EOF:', data, 'at_eof', reader.at_eof())
        print('server can_write_eof', writer.can_write_eof(), 'is_closing', writer.is_closing())
        writer.write(b'reply to ' + data)
        await writer.drain()
        writer.write_eof()
        print('server wrote EOF; is_closing', writer.is_closing())
        writer.close()
        await writer.wait_closed()
        print('server: connection closed')

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'request')
    writer.write_eof()
    try:
        writer.write(b'more')
    except RuntimeError as exc:
        print('client write after write_eof:', exc)
    print('client got', await reader.read())
    print('client at_eof', reader.at_eof(), 'is_closing', writer.is_closing())
    await asyncio.sleep(0.01)
    print('client is_closing after both EOFs', writer.is_closing())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
