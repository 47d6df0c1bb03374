"""A block that swallows the timeout's CancelledError finishes normally: no TimeoutError, yet expired() is True and the request is uncancelled; a wait_for inside a block that swallows loses its own timeout too.
"""


async def swallow():
    me = asyncio.current_task()
    async with asyncio.timeout(0.01) as cm:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print('swallowed; cancelling()', me.cancelling())
        print('block goes on after the deadline')
    print('no TimeoutError; expired', cm.expired(), 'cancelling()', me.cancelling(), repr(cm))


async def stubborn():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print('inner swallowed the cancel')
    return 'stubborn result'


async def main():
    await swallow()
    print('wait_for returns', await asyncio.wait_for(stubborn(), 0.01))


asyncio.run(main())
