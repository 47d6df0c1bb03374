"""Cancelling serve_forever() while a connection is open: in asyncio 3.11 it closes the server and finishes at once (wait_closed() returns once close() was called), while a wait_closed() started before close() waits for the last connection to go.

asyncio 3.12.1 (gh-79033) makes every wait_closed(), the one inside serve_forever() too,
wait for the open connections: there serve_forever() finishes only after the client has
closed. Every wait is bounded by counting loop iterations.
"""


async def main():
    loop = asyncio.get_running_loop()
    log = []

    async def handle(reader, writer):
        log.append('handler reads')
        await reader.read()
        log.append('handler got EOF')
        writer.close()

    srv = await asyncio.start_server(handle, '127.0.0.1', 0, start_serving=False)
    forever = asyncio.create_task(srv.serve_forever())
    await asyncio.sleep(0)
    print('serving', srv.is_serving())
    reader, writer = await asyncio.open_connection('127.0.0.1', srv.sockets[0].getsockname()[1])
    await asyncio.sleep(0.01)
    early_wait = asyncio.create_task(srv.wait_closed())
    await asyncio.sleep(0)
    forever.cancel()
    for i in range(3):
        await asyncio.sleep(0)
        print(i, 'serve_forever done', forever.done(), '| early wait_closed done',
              early_wait.done(), '| serving', srv.is_serving(), srv.sockets)
    try:
        await asyncio.wait_for(srv.wait_closed(), 0.2)
        print('a wait_closed() after close(): returns at once')
    except asyncio.TimeoutError:
        print('a wait_closed() after close(): timed out')
    writer.close()
    await writer.wait_closed()
    for i in range(8):
        if forever.done() and early_wait.done():
            break
        await asyncio.sleep(0)
    print('after the client closed: serve_forever done', forever.done(),
          '| early wait_closed done', early_wait.done())
    print('serve_forever cancelled', forever.cancelled())
    print(log)


asyncio.run(main())
