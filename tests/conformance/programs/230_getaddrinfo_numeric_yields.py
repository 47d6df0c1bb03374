"""loop.getaddrinfo() of a numeric host lets other tasks run before it returns, as asyncio's lookup in a thread does; so does its error; after shutdown_default_executor() it raises.

asyncio always sends getaddrinfo() to the default executor, so the awaiting task resumes two
loop iterations later at the earliest (the thread's result comes back through
call_soon_threadsafe, then the task is woken). How many more iterations pass depends on the
thread, so the program only checks that the other task ran at least once meanwhile.
"""
import socket


async def main():
    loop = asyncio.get_running_loop()
    steps = 0
    running = True

    async def other():
        nonlocal steps
        while running:
            steps += 1
            await asyncio.sleep(0)

    t = asyncio.create_task(other())
    await asyncio.sleep(0)

    before = steps
    infos = await loop.getaddrinfo('127.0.0.1', 80, type=socket.SOCK_STREAM)
    print('other task ran meanwhile:', steps > before)
    print('same as socket.getaddrinfo:',
          infos == socket.getaddrinfo('127.0.0.1', 80, type=socket.SOCK_STREAM))

    before = steps
    try:
        await loop.getaddrinfo('127.0.0.1', 80, family=12345)
    except socket.gaierror as exc:
        print('error:', type(exc).__name__, exc.errno)
    print('other task ran before the error:', steps > before)

    lookup = asyncio.create_task(loop.getaddrinfo('127.0.0.1', 80))
    await asyncio.sleep(0)
    lookup.cancel()
    try:
        await lookup
    except asyncio.CancelledError:
        print('cancelled lookup: CancelledError')

    running = False
    await t
    await loop.shutdown_default_executor()
    try:
        await loop.getaddrinfo('127.0.0.1', 80)
    except RuntimeError as exc:
        print('after shutdown_default_executor:', exc)


asyncio.run(main())
