"""wait_for returns the result when in time (coroutine, task or future), timeout=None waits forever, and an inner exception propagates unchanged.
"""


async def value(v, delay=0):
    await asyncio.sleep(delay)
    return v


async def boom():
    await asyncio.sleep(0)
    raise LookupError('inner')


async def main():
    loop = asyncio.get_running_loop()
    print(await asyncio.wait_for(value('coro'), 1))
    print(await asyncio.wait_for(asyncio.create_task(value('task', 0.01)), 1))
    fut = loop.create_future()
    loop.call_later(0.01, fut.set_result, 'future')
    print(await asyncio.wait_for(fut, 1))
    print(await asyncio.wait_for(value('no timeout', 0.02), None))
    print(await asyncio.wait_for(value('no timeout kw', 0), timeout=None))
    try:
        await asyncio.wait_for(boom(), 1)
    except LookupError as e:
        print('propagated', type(e).__name__, e)


asyncio.run(main())
