"""Cancelling start_server's client_connected_cb task: in asyncio 3.11 the task's done callback calls task.exception(), which raises CancelledError, reported as 'Exception in callback ...', and the connection is left open.

The message is cut at the callback's name (the rest names the loop's own file); the
client's read and the server's wait_closed() are bounded by wait_for. asyncio 3.12.1 still
does what 3.11 does, but its Server.wait_closed() also waits for the connection left open
(gh-79033), so it times out; 3.13 checks task.cancelled() first and closes the transport
quietly (gh-113538), so the client reads b''.
"""


def handler(loop, context):
    print('handler:', context['message'].split('(')[0], type(context['exception']).__name__,
          sorted(context))


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    started = loop.create_future()

    async def handle(reader, writer):
        started.set_result(asyncio.current_task())
        try:
            await reader.read()
        finally:
            print('handler finally: writer closing', writer.is_closing())

    srv = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = srv.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    task = await started
    task.cancel()
    for i in range(3):
        await asyncio.sleep(0)
        print(i, 'task done', task.done())
    try:
        print('client read', await asyncio.wait_for(reader.read(), 0.2))
    except asyncio.TimeoutError:
        print('client read: still open')
    writer.close()
    await writer.wait_closed()
    srv.close()
    try:
        await asyncio.wait_for(srv.wait_closed(), 0.2)
        print('server wait_closed: returned')
    except asyncio.TimeoutError:
        print('server wait_closed: timed out (a connection is still open)')


asyncio.run(main())
