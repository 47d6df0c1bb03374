"""Bad arguments to create_connection, create_server, open_connection, start_server and the transport get asyncio's exception types and messages.
"""
import socket


async def main():
    loop = asyncio.get_running_loop()
    udp = socket.socket(type=socket.SOCK_DGRAM)
    tcp = socket.socket()
    cases = [
        ('create_connection()', lambda: loop.create_connection(asyncio.Protocol)),
        ('create_connection(host, sock)', lambda: loop.create_connection(asyncio.Protocol, '127.0.0.1', 1, sock=tcp)),
        ('create_connection(server_hostname) no ssl', lambda: loop.create_connection(asyncio.Protocol, '127.0.0.1', 1, server_hostname='x')),
        ('create_connection(ssl_handshake_timeout) no ssl', lambda: loop.create_connection(asyncio.Protocol, '127.0.0.1', 1, ssl_handshake_timeout=1)),
        ('create_connection(udp sock)', lambda: loop.create_connection(asyncio.Protocol, sock=udp)),
        ('create_server()', lambda: loop.create_server(asyncio.Protocol)),
        ('create_server(ssl=True)', lambda: loop.create_server(asyncio.Protocol, '127.0.0.1', 0, ssl=True)),
        ('create_server(host, sock)', lambda: loop.create_server(asyncio.Protocol, '127.0.0.1', 0, sock=tcp)),
        ('create_server(udp sock)', lambda: loop.create_server(asyncio.Protocol, sock=udp)),
        ('create_server(ssl_shutdown_timeout) no ssl', lambda: loop.create_server(asyncio.Protocol, '127.0.0.1', 0, ssl_shutdown_timeout=1)),
        ('open_connection()', lambda: asyncio.open_connection()),
        ('open_connection(limit=0)', lambda: asyncio.open_connection('127.0.0.1', 1, limit=0)),
        ('start_server(None)', lambda: asyncio.start_server(None)),
    ]
    for name, make in cases:
        try:
            await make()
        except Exception as exc:
            msg = str(exc).split(', got <')[0]    # drop the socket repr (fd numbers)
            print(f'{name}: {type(exc).__name__}: {msg}')
        else:
            print(f'{name}: no error')
    udp.close()
    tcp.close()


asyncio.run(main())
