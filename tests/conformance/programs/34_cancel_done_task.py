"""cancel() on a finished task or future returns False and changes nothing; cancel() on a pending Future returns True and cancels it at once.
"""


async def quick():
    return 42


async def broken():
    raise ValueError('x')


async def main():
    t = asyncio.create_task(quick())
    await t
    print('cancel finished task ->', t.cancel(), 'cancelled()', t.cancelled(), 'result', t.result())
    b = asyncio.create_task(broken())
    try:
        await b
    except ValueError:
        pass
    print('cancel failed task ->', b.cancel(), 'exception', repr(b.exception()))
    fut = asyncio.get_running_loop().create_future()
    print('cancel pending future ->', fut.cancel(), 'cancelled() right away', fut.cancelled())
    print('cancel it again ->', fut.cancel())
    f2 = asyncio.get_running_loop().create_future()
    f2.set_result(1)
    print('cancel done future ->', f2.cancel())


asyncio.run(main())
