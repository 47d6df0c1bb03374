"""A transport reads at most its max_size bytes per recv(): setting max_size on a transport (or a subclass) changes the chunks data_received() gets.
"""


class Chunks(asyncio.Protocol):
    def __init__(self, done):
        self.chunks = []
        self.done = done

    def connection_made(self, transport):
        print('default max_size', transport.max_size)
        transport.max_size = 4

    def data_received(self, data):
        self.chunks.append(data)

    def connection_lost(self, exc):
        self.done.set_result(self.chunks)


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    srv = await loop.create_server(lambda: Chunks(done), '127.0.0.1', 0)
    port = srv.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'0123456789')
    writer.close()
    print('chunks', await done)
    srv.close()
    await srv.wait_closed()


asyncio.run(main())
