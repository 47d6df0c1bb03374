"""A BufferedProtocol receives into its own buffer: get_buffer(-1) then buffer_updated(n), then eof_received and connection_lost, in asyncio's order.
"""


class Buffered(asyncio.BufferedProtocol):
    def __init__(self, done):
        self.buf = bytearray(4)
        self.data = bytearray()
        self.calls = []
        self.done = done

    def connection_made(self, transport):
        self.calls.append('connection_made')

    def get_buffer(self, sizehint):
        self.calls.append(f'get_buffer({sizehint})')
        return self.buf

    def buffer_updated(self, nbytes):
        self.calls.append(f'buffer_updated({nbytes})')
        self.data += self.buf[:nbytes]

    def eof_received(self):
        self.calls.append('eof_received')

    def connection_lost(self, exc):
        self.calls.append(f'connection_lost({exc!r})')
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    server = await loop.create_server(lambda: Buffered(done), '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    protos = []
    writer.write(b'0123456789')
    writer.write_eof()
    await done
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


class Holder:
    pass


orig = Buffered.__init__


def init(self, done):
    orig(self, done)
    Holder.last = self


Buffered.__init__ = init
asyncio.run(main())
print(Holder.last.calls)
print(bytes(Holder.last.data))
