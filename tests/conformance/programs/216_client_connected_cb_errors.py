"""An exception in start_server's client_connected_cb coroutine goes to the exception handler with asyncio's context keys, and the connection is closed; a plain-function callback works too.
"""


def handler(loop, context):
    print('handler:', context['message'], '|', type(context['exception']).__name__,
          context['exception'], '|', sorted(context))


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)

    async def failing(reader, writer):
        await reader.read(1)
        raise KeyError('boom')

    server = await asyncio.start_server(failing, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'x')
    print('client sees EOF:', await reader.read(), reader.at_eof())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    def plain(reader, writer):
        print('plain callback called with', type(reader).__name__, type(writer).__name__)
        writer.write(b'hi from a plain function')
        writer.close()

    server = await asyncio.start_server(plain, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    print('client got', await reader.read())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
