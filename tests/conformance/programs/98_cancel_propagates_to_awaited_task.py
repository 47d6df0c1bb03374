"""Cancelling a task that awaits another task cancels the awaited task too (its _fut_waiter), and the message travels along.
"""


async def inner():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print('inner cancelled, args', e.args)
        raise


async def outer(task):
    try:
        await task
    except asyncio.CancelledError as e:
        print('outer cancelled, args', e.args)
        raise


async def main():
    i = asyncio.create_task(inner())
    o = asyncio.create_task(outer(i))
    await asyncio.sleep(0)
    o.cancel('from main')
    await asyncio.wait([o, i])
    print('inner cancelled()', i.cancelled(), 'outer cancelled()', o.cancelled())


asyncio.run(main())
