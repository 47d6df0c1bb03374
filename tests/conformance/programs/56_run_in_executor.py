"""run_in_executor(None, fn, *args) runs fn in a worker thread and returns its result; an exception in fn propagates to the awaiter.
"""
import threading

main_thread = threading.get_ident()


def blocking(x, y):
    return x * y, threading.get_ident() != main_thread


def failing():
    raise PermissionError('denied in thread')


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, blocking, 6, 7)
    print('returns an asyncio future:', asyncio.isfuture(fut))
    value, other_thread = await fut
    print('result', value, 'ran in another thread:', other_thread)
    try:
        await loop.run_in_executor(None, failing)
    except PermissionError as e:
        print('propagated:', type(e).__name__, e)
    results = await asyncio.gather(*(loop.run_in_executor(None, blocking, i, i) for i in range(5)))
    print('gathered:', [r[0] for r in results])


asyncio.run(main())
