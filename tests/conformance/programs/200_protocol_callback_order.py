"""Protocol callbacks come in asyncio's order on both ends: connection_made, data_received, eof_received, connection_lost (exactly once, last).
"""


class Recorder(asyncio.Protocol):
    def __init__(self, name, log, done):
        self.name = name
        self.log = log
        self.done = done

    def connection_made(self, transport):
        self.transport = transport
        self.log.append(f'{self.name}: connection_made closing={transport.is_closing()}')

    def data_received(self, data):
        self.log.append(f'{self.name}: data_received {data!r}')
        if self.name == 'server':
            self.transport.write(data.upper())

    def eof_received(self):
        self.log.append(f'{self.name}: eof_received')
        # None: the transport closes itself after eof_received returns

    def connection_lost(self, exc):
        self.log.append(f'{self.name}: connection_lost {exc!r} closing={self.transport.is_closing()}')
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    server_log, client_log = [], []
    server_done = loop.create_future()
    client_done = loop.create_future()
    server = await loop.create_server(lambda: Recorder('server', server_log, server_done),
                                      '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    transport, protocol = await loop.create_connection(
        lambda: Recorder('client', client_log, client_done), '127.0.0.1', port)
    print('create_connection returned after connection_made:', client_log)
    print('protocol is the factory product:', type(protocol).__name__, protocol.transport is transport)
    transport.write(b'hello')
    while len(client_log) < 2:
        await asyncio.sleep(0.01)
    transport.write_eof()
    await server_done
    await client_done
    for line in server_log + client_log:
        print(line)
    server.close()
    await server.wait_closed()


asyncio.run(main())
