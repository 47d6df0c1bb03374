"""Streams over a Unix domain socket in a temporary directory: start_unix_server, open_unix_connection, echo, sockname/peername, a stale socket file replaced.
"""
import os
import tempfile


async def main():
    async def handle(reader, writer):
        writer.write((await reader.readline()).upper())
        await writer.drain()
        writer.close()

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'sock')
        for round_ in (1, 2):       # the second server finds round 1's socket file
            server = await asyncio.start_unix_server(handle, path)
            reader, writer = await asyncio.open_unix_connection(path)
            print(round_, 'peername is path', writer.get_extra_info('peername') == path,
                  'sockname', repr(writer.get_extra_info('sockname')))
            writer.write(b'hello unix\n')
            print(round_, 'got', await reader.readline())
            writer.close()
            await writer.wait_closed()
            server.close()
            await server.wait_closed()
            print(round_, 'socket file left behind:', os.path.exists(path))
        try:
            await asyncio.open_unix_connection(os.path.join(d, 'nothing'))
        except FileNotFoundError as exc:
            print('no such socket:', type(exc).__name__, exc.errno)


asyncio.run(main())
