"""ensure_future: a coroutine becomes a Task, a Future/Task is returned as is, an awaitable object is wrapped, anything else raises TypeError.
"""


class Awaitable:
    def __await__(self):
        yield from asyncio.sleep(0).__await__()
        return 'from __await__'


async def coro():
    return 'coro'


async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.ensure_future(coro())
    print('coroutine -> Task:', isinstance(t, asyncio.Task), await t)
    fut = loop.create_future()
    print('future returned as is:', asyncio.ensure_future(fut) is fut)
    print('task returned as is:', asyncio.ensure_future(t) is t)
    w = asyncio.ensure_future(Awaitable())
    print('awaitable wrapped:', asyncio.isfuture(w), await w)
    for bad in (1, 'x', None):
        try:
            asyncio.ensure_future(bad)
        except TypeError as e:
            print('TypeError:', e)
    c = coro()
    print('iscoroutine:', asyncio.iscoroutine(c), asyncio.iscoroutine(coro), asyncio.iscoroutine(t))
    c.close()
    print('isfuture:', asyncio.isfuture(fut), asyncio.isfuture(t), asyncio.isfuture(coro))
    fut.cancel()


asyncio.run(main())
