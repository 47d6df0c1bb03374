"""Writing to a closing or lost transport: dropped silently, with asyncio's warning from the fifth write on; write after write_eof and non-bytes data raise with asyncio's messages.

"""
import logging


class Capture(logging.Handler):
    def emit(self, record):
        print('LOG', record.levelname, record.getMessage())


logging.getLogger('asyncio').addHandler(Capture())
logging.getLogger('asyncio').propagate = False


class P(asyncio.Protocol):
    def __init__(self, log):
        self.log = log

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.log.append(f'connection_lost {exc!r}')


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(asyncio.Protocol, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    log = []
    transport, protocol = await loop.create_connection(lambda: P(log), '127.0.0.1', port)
    for bad in ('text', 123, None):
        try:
            transport.write(bad)
        except TypeError as exc:
            print('TypeError:', exc)
    transport.write(b'')          # nothing to do
    transport.write_eof()
    transport.write_eof()         # harmless the second time
    try:
        transport.write(b'x')
    except RuntimeError as exc:
        print('RuntimeError:', exc)
    transport.close()
    transport, protocol = await loop.create_connection(lambda: P(log), '127.0.0.1', port)
    transport.close()
    print('is_closing', transport.is_closing(), 'buffer', transport.get_write_buffer_size())
    for i in range(7):
        transport.write(b'after close')
        print('write', i, 'ok')
    await asyncio.sleep(0.01)
    print(log)
    transport.close()             # closing twice is fine
    print('closed transport peername is kept:', transport.get_extra_info('peername')[1] == port)
    server.close()
    await server.wait_closed()


asyncio.run(main())
