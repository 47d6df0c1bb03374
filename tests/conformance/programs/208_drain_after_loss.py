"""drain() on a connection whose peer closed: the first write succeeds, then drain raises ConnectionResetError('Connection lost'); wait_closed returns; writer.is_closing.
"""


async def main():
    server_done = asyncio.get_running_loop().create_future()

    async def handle(reader, writer):
        print('server got', await reader.read(100))
        writer.close()
        await writer.wait_closed()
        server_done.set_result(None)

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'one')
    await writer.drain()
    await server_done
    print('client read EOF:', await reader.read(), reader.at_eof())
    print('client is_closing after EOF:', writer.is_closing())
    writer.close()
    print('client is_closing after close:', writer.is_closing())
    try:
        await writer.drain()
    except ConnectionResetError as exc:
        print('drain after close:', type(exc).__name__, exc)
    await writer.wait_closed()
    print('wait_closed returned, again:', await writer.wait_closed())
    try:
        await writer.drain()
    except ConnectionResetError as exc:
        print('drain again:', exc)
    print('can_write_eof', writer.can_write_eof())
    server.close()
    await server.wait_closed()


asyncio.run(main())
