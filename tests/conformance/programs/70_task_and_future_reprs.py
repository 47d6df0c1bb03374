"""repr() of Futures and Tasks in the states a user prints them: pending, finished with a result, with an exception, cancelled.

Only reprs without internal callbacks are printed; a task repr names the coroutine and where it
is (a location in this program). Task reprs while waiting would show loop internals, so none.
"""


async def work(x):
    await asyncio.sleep(0)
    return x


async def bad():
    raise ValueError('nope')


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(repr(f))
    f.set_result([1, 'two'])
    print(repr(f))
    e = loop.create_future()
    e.set_exception(KeyError('k'))
    print(repr(e))
    e.exception()
    c = loop.create_future()
    c.cancel()
    print(repr(c))
    t = asyncio.create_task(work(5), name='worker')
    print(repr(t))
    await t
    print(repr(t))
    b = asyncio.create_task(bad(), name='bad')
    await asyncio.sleep(0)
    print(repr(b))
    b.exception()
    k = asyncio.create_task(work(1), name='killed')
    k.cancel()
    await asyncio.sleep(0)
    print(repr(k))


asyncio.run(main())
