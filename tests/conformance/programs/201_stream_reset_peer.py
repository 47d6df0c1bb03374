"""A peer that resets mid-message (SO_LINGER 0 then close): the stream reader raises ConnectionResetError, drain() raises it too, and the server keeps serving others.
"""
import socket
import struct


async def main():
    outcome = []
    done = asyncio.get_running_loop().create_future()

    async def handle(reader, writer):
        try:
            header = await reader.readexactly(4)
            print('server: header', header)
            body = await reader.readexactly(100)
            print('server: body', len(body))
            writer.write(b'ok')
            await writer.drain()
        except (ConnectionResetError, asyncio.IncompleteReadError) as exc:
            print('server: reader raised', type(exc).__name__, exc)
            try:
                await writer.drain()
            except ConnectionResetError as exc2:
                print('server: drain raised', type(exc2).__name__, exc2)
        finally:
            writer.close()
            if not done.done():
                done.set_result(None)

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]

    rude = socket.socket()
    rude.connect(('127.0.0.1', port))
    rude.sendall(b'HEAD' + b'x' * 10)     # 10 of the 100 bytes the server wants
    await asyncio.sleep(0.05)
    rude.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    rude.close()                          # RST instead of FIN
    await done

    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'HEAD' + b'y' * 100)
    print('polite client got', await reader.read(10))
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
