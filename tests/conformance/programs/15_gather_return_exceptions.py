"""gather(return_exceptions=True) puts exceptions (including a child's CancelledError) into the result list, in argument order.

A cancelled child shows up as CancelledError carrying the child's cancel message: a Future
cancelled with a message keeps it; a Task whose coroutine let CancelledError out has none ('').
"""


async def value(v):
    await asyncio.sleep(0)
    return v


async def fail(exc):
    await asyncio.sleep(0)
    raise exc


async def sleeper():
    await asyncio.sleep(10)


async def main():
    victim = asyncio.create_task(sleeper())
    loop = asyncio.get_running_loop()
    loop.call_later(0.01, victim.cancel, 'stop it')
    fut = loop.create_future()
    loop.call_later(0.01, fut.cancel, 'future msg')
    res = await asyncio.gather(value(1), fail(ValueError('v')), victim, value(4),
                               fail(ZeroDivisionError('z')), fut, return_exceptions=True)
    for r in res:
        print(type(r).__name__, r.args if isinstance(r, BaseException) else r)


asyncio.run(main())
