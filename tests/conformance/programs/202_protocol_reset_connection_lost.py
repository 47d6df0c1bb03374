"""A reset peer reaches a Protocol as connection_lost(ConnectionResetError) with no eof_received, and nothing is logged (OSErrors are logged only in debug mode).
"""
import socket
import struct


class P(asyncio.Protocol):
    def __init__(self, done):
        self.done = done

    def connection_made(self, transport):
        self.transport = transport
        print('connection_made')

    def data_received(self, data):
        print('data_received', data)

    def eof_received(self):
        print('eof_received')

    def connection_lost(self, exc):
        print('connection_lost', type(exc).__name__, exc.errno == 104 if exc else None)
        print('is_closing', self.transport.is_closing())
        self.done.set_result(exc)


def handler(loop, context):
    print('exception handler:', context['message'])


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    done = loop.create_future()
    server = await loop.create_server(lambda: P(done), '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    s = socket.socket()
    s.connect(('127.0.0.1', port))
    s.sendall(b'partial')
    await asyncio.sleep(0.05)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    s.close()
    exc = await done
    print('same exception object kept:', isinstance(exc, ConnectionResetError))
    server.close()
    await server.wait_closed()


asyncio.run(main())
