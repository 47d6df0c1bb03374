"""to_thread runs the function in another thread with a copy of the caller's contextvars and kwargs; changes made in the thread stay there; run_in_executor alone does not carry the context; exceptions propagate.
"""
import contextvars
import threading

request = contextvars.ContextVar('request', default='unset')


def work(tag, *, sep='-'):
    seen = request.get()
    request.set('changed in thread')
    return f'{tag}{sep}{seen}', threading.current_thread() is not threading.main_thread()


def fail():
    raise KeyError('from the thread')


async def main():
    request.set('req-42')
    print('to_thread:', await asyncio.to_thread(work, 'a', sep='+'))
    print('after, in the task:', request.get())
    loop = asyncio.get_running_loop()
    print('run_in_executor:', await loop.run_in_executor(None, work, 'b'))
    try:
        await asyncio.to_thread(fail)
    except KeyError as exc:
        print('propagated:', type(exc).__name__, exc)
    results = await asyncio.gather(*(asyncio.to_thread(pow, 2, n) for n in range(6)))
    print('in order:', results)
    coro = asyncio.to_thread(work, 'x')
    print('is a coroutine:', asyncio.iscoroutine(coro))
    await coro


def outside():
    coro = asyncio.to_thread(work, 'y')
    try:
        coro.send(None)
    except RuntimeError as exc:
        print('outside a loop ->', exc)


outside()
asyncio.run(main())
