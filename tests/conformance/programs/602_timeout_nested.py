"""Nested timeouts: the inner one expiring first raises TimeoutError inside the outer block (the outer does not expire); the outer expiring first cancels through the inner block, which lets the CancelledError pass, and the outer raises TimeoutError.
"""


async def inner_first():
    me = asyncio.current_task()
    async with asyncio.timeout(1) as outer:
        try:
            async with asyncio.timeout(0.01) as inner:
                await asyncio.sleep(1)
        except TimeoutError:
            print('inner TimeoutError; inner expired', inner.expired(), 'outer expired', outer.expired())
        print('cancelling() inside outer', me.cancelling())
        await asyncio.sleep(0)
    print('outer finished, expired', outer.expired())


async def outer_first():
    me = asyncio.current_task()
    try:
        async with asyncio.timeout(0.01) as outer:
            try:
                async with asyncio.timeout(1) as inner:
                    await asyncio.sleep(1)
            except asyncio.CancelledError:
                print('inner block let CancelledError out; inner expired', inner.expired())
                print('cancelling() during', me.cancelling())
                raise
    except TimeoutError:
        print('outer TimeoutError; outer expired', outer.expired())
    print('cancelling() after', me.cancelling())


async def main():
    await inner_first()
    await outer_first()


asyncio.run(main())
