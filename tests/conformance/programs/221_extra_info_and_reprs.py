"""get_extra_info: peername, sockname, socket (a TransportSocket), a default for unknown keys; StreamReader repr and the writer's transport property.
"""
import socket


async def main():
    async def handle(reader, writer):
        writer.close()

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    print('peername', writer.get_extra_info('peername') == ('127.0.0.1', port))
    print('sockname host', writer.get_extra_info('sockname')[0])
    sock = writer.get_extra_info('socket')
    print('socket', type(sock).__name__, sock.family == socket.AF_INET, sock.type == socket.SOCK_STREAM)
    print('TCP_NODELAY set', sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
    print('unknown', writer.get_extra_info('nope'), writer.get_extra_info('nope', 'dflt'))
    print('transport property', writer.transport is writer.get_extra_info('socket') or type(writer.transport).__name__ == '_SelectorSocketTransport')
    print('isinstance Transport', isinstance(writer.transport, asyncio.Transport))
    print('reader repr', repr(asyncio.StreamReader(limit=10)))
    r = asyncio.StreamReader()
    r.feed_data(b'abc')
    r.feed_eof()
    print('reader repr', repr(r))
    await reader.read()
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
