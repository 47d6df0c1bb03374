"""A child cancelled on its own makes gather (without return_exceptions) raise CancelledError; the other children continue.
"""


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, 'finished')
        return name
    except asyncio.CancelledError:
        print(name, 'cancelled')
        raise


async def main():
    a = asyncio.create_task(child('a', 0.01))
    b = asyncio.create_task(child('b', 1))
    c = asyncio.create_task(child('c', 0.3))
    g = asyncio.gather(a, b, c)
    await a
    b.cancel()
    try:
        print(await g)
    except asyncio.CancelledError:
        print('gather raised CancelledError; g.cancelled() =', g.cancelled())
    print('c done right after?', c.done())
    await c
    print('c result', c.result())


asyncio.run(main())
