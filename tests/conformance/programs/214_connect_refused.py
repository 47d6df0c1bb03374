"""Connecting to a port nobody listens on raises ConnectionRefusedError with asyncio's message shape; open_connection too; host and port are validated first.
"""
import socket


async def main():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()                      # the port is free: nobody listens
    loop = asyncio.get_running_loop()
    for what, coro in [('create_connection', loop.create_connection(asyncio.Protocol, '127.0.0.1', port)),
                       ('open_connection', asyncio.open_connection('127.0.0.1', port))]:
        try:
            await coro
        except ConnectionRefusedError as exc:
            print(what, type(exc).__name__, exc.errno,
                  str(exc).replace(str(port), 'PORT'))


asyncio.run(main())
