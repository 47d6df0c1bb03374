"""create_connection and open_connection with happy_eyeballs_delay connect (the attempts race as asyncio's staggered_race runs them, in tasks), and a refused port raises asyncio's error.
"""
import socket


async def main():
    loop = asyncio.get_running_loop()

    async def handle(reader, writer):
        writer.write(await reader.read(10))
        writer.close()

    srv = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = srv.sockets[0].getsockname()[1]
    tr, proto = await loop.create_connection(asyncio.Protocol, '127.0.0.1', port,
                                             happy_eyeballs_delay=0.25)
    print('create_connection:', type(proto).__name__, tr.get_extra_info('peername')[1] == port)
    tr.close()
    print('next task', asyncio.create_task(asyncio.sleep(0)).get_name())
    reader, writer = await asyncio.open_connection('127.0.0.1', port, happy_eyeballs_delay=0.25,
                                                   interleave=2)
    writer.write(b'echo')
    print('open_connection:', await reader.read())
    writer.close()
    await writer.wait_closed()
    print('next task', asyncio.create_task(asyncio.sleep(0)).get_name())

    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    free = s.getsockname()[1]
    s.close()                  # nobody listens there
    try:
        await loop.create_connection(asyncio.Protocol, '127.0.0.1', free,
                                     happy_eyeballs_delay=0.25)
    except OSError as exc:
        print('refused:', type(exc).__name__, exc.errno, str(exc).replace(str(free), 'PORT'))
    print('next task', asyncio.create_task(asyncio.sleep(0)).get_name())
    srv.close()
    await srv.wait_closed()


asyncio.run(main())
