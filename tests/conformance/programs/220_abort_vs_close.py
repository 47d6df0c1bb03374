"""close() flushes the write buffer before connection_lost(None); abort() drops it and calls connection_lost(None) at once; both via call_soon, never inside the call.
"""


class Sink(asyncio.Protocol):
    def __init__(self):
        self.n = 0
        self.eof = None

    def connection_made(self, transport):
        self.transport = transport
        sinks.append(self)

    def data_received(self, data):
        self.n += len(data)

    def eof_received(self):
        self.eof.set_result(self.n)

    def connection_lost(self, exc):
        if not self.eof.done():
            self.eof.set_result(('lost', self.n, repr(exc)))


class Source(asyncio.Protocol):
    def __init__(self):
        self.lost = None

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        print('  source connection_lost', repr(exc), 'buffer', self.transport.get_write_buffer_size())
        self.lost.set_result(None)


sinks = []


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Sink, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    size = 8 * 1024 * 1024
    for how in ('close', 'abort'):
        print(how)
        transport, source = await loop.create_connection(Source, '127.0.0.1', port)
        while len(sinks) < (1 if how == 'close' else 2):
            await asyncio.sleep(0)
        sink = sinks[-1]
        sink.eof = loop.create_future()
        source.lost = loop.create_future()
        transport.write(b'z' * size)
        print('  buffered something:', transport.get_write_buffer_size() > 0)
        getattr(transport, how)()
        print('  connection_lost not called yet:', not source.lost.done(), 'is_closing', transport.is_closing())
        await source.lost
        result = await sink.eof
        if how == 'close':
            print('  sink got everything then EOF:', result == size)
        else:
            print('  sink got less than everything:', (result if isinstance(result, int) else result[1]) < size)
    for s in sinks:
        s.transport.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())
