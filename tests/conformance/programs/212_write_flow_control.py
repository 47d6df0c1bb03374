"""Write flow control: default limits, set_write_buffer_limits validation, pause_writing above high water when the peer does not read, resume_writing at low water, in asyncio's order.
"""


class Server(asyncio.Protocol):
    def connection_made(self, transport):
        transport.pause_reading()        # do not read: let the client's buffer fill
        servers.append(transport)


class Client(asyncio.Protocol):
    def __init__(self):
        self.events = []
        self.resumed = None

    def connection_made(self, transport):
        self.transport = transport

    def pause_writing(self):
        self.events.append('pause_writing')

    def resume_writing(self):
        self.events.append('resume_writing')
        self.resumed.set_result(self.transport.get_write_buffer_size())


servers = []


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Server, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    transport, client = await loop.create_connection(Client, '127.0.0.1', port)
    print('default limits (low, high):', transport.get_write_buffer_limits())
    for high, low in [(10, 20), (-1, None), (None, -1)]:
        try:
            transport.set_write_buffer_limits(high, low)
        except ValueError as exc:
            print('ValueError:', exc)
    transport.set_write_buffer_limits(low=1000)
    print('low=1000 ->', transport.get_write_buffer_limits())
    transport.set_write_buffer_limits(high=100000)
    print('high=100000 ->', transport.get_write_buffer_limits())
    client.resumed = loop.create_future()
    chunk = b'x' * 65536
    writes = 0
    while not client.events:
        transport.write(chunk)
        writes += 1
        await asyncio.sleep(0)
    size = transport.get_write_buffer_size()
    print('paused:', client.events, 'buffer above high:', size > 100000, 'but not far:', size <= 100000 + 65536)
    await asyncio.sleep(0.05)
    print('still paused, buffer unchanged:', client.events, transport.get_write_buffer_size() == size)
    servers[0].resume_reading()
    left = await client.resumed
    print('resumed:', client.events, 'buffer at or below low:', left <= 25000)
    transport.close()
    servers[0].close()
    server.close()
    await server.wait_closed()


asyncio.run(main())
