"""transport.pause_reading/resume_reading/is_reading: nothing is delivered while paused, everything after resume; pausing twice and resuming twice are harmless; a closing transport is not reading.
"""


class P(asyncio.Protocol):
    def __init__(self):
        self.received = bytearray()
        self.got = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.received += data
        if self.got is not None and not self.got.done():
            self.got.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    server_protos = []

    def factory():
        p = P()
        server_protos.append(p)
        return p

    server = await loop.create_server(factory, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    transport, client = await loop.create_connection(P, '127.0.0.1', port)
    while not server_protos or not hasattr(server_protos[0], 'transport'):
        await asyncio.sleep(0)
    st = server_protos[0].transport
    print('is_reading', st.is_reading())
    st.pause_reading()
    st.pause_reading()
    print('paused: is_reading', st.is_reading())
    transport.write(b'while paused')
    await asyncio.sleep(0.05)
    print('received while paused:', bytes(server_protos[0].received))
    server_protos[0].got = loop.create_future()
    st.resume_reading()
    st.resume_reading()
    print('resumed: is_reading', st.is_reading())
    await server_protos[0].got
    print('received after resume:', bytes(server_protos[0].received))
    st.close()
    print('closing: is_reading', st.is_reading(), 'is_closing', st.is_closing())
    transport.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())
