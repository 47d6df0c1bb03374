"""wait_for whose inner coroutine swallows the cancellation and returns a value: wait_for returns that value instead of raising TimeoutError.

Also: cancelling the task that waits in wait_for cancels the inner awaitable too.
"""


async def stubborn():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print('stubborn swallowed cancellation')
        return 'salvaged'


async def inner():
    try:
        await asyncio.sleep(1)
    finally:
        print('inner finally')


async def outer():
    try:
        await asyncio.wait_for(inner(), 5)
    except asyncio.CancelledError:
        print('outer sees CancelledError')
        raise


async def main():
    print('wait_for ->', await asyncio.wait_for(stubborn(), 0.01))
    t = asyncio.create_task(outer())
    await asyncio.sleep(0.01)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print('outer task cancelled():', t.cancelled())


asyncio.run(main())
