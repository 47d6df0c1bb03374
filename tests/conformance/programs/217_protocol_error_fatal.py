"""A protocol whose data_received raises: the exception handler gets 'Fatal error: protocol.data_received() call failed.' with transport and protocol, then connection_lost(that exception).
"""


class Bad(asyncio.Protocol):
    def __init__(self, done):
        self.done = done

    def connection_made(self, transport):
        print('connection_made')

    def data_received(self, data):
        print('data_received', data)
        raise ValueError('bad data')

    def connection_lost(self, exc):
        print('connection_lost', repr(exc))
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()

    def handler(loop, context):
        print('handler:', context['message'], '| keys', sorted(context),
              '| protocol is ours', isinstance(context['protocol'], Bad))

    loop.set_exception_handler(handler)
    done = loop.create_future()
    server = await loop.create_server(lambda: Bad(done), '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'payload')
    await done
    print('client sees the connection end:', await reader.read())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
