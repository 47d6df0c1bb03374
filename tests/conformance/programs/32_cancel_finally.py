"""Cancellation runs finally blocks from the innermost await outwards, including awaits inside finally and nested coroutines.
"""


async def leaf():
    try:
        print('leaf waits')
        await asyncio.sleep(1)
    finally:
        print('leaf finally')


async def middle():
    try:
        await leaf()
    finally:
        print('middle finally starts cleanup')
        await asyncio.sleep(0.01)
        print('middle finally cleanup done')


async def top():
    try:
        await middle()
    except asyncio.CancelledError:
        print('top sees CancelledError')
        raise
    finally:
        print('top finally')


async def main():
    t = asyncio.create_task(top())
    await asyncio.sleep(0.01)
    t.cancel()
    print('main: cancel requested, task done?', t.done())
    try:
        await t
    except asyncio.CancelledError:
        print('main: task cancelled', t.cancelled())


asyncio.run(main())
