"""Inside an expired timeout the body swallows the CancelledError and awaits again: the second await is not cancelled; exit is silent; expired() is True."""
async def main():
    t = asyncio.current_task()
    async with asyncio.timeout(0.01) as cm:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print('swallowed; cancelling', t.cancelling())
        await asyncio.sleep(0.001)
        print('second await ok')
    print('exited; expired', cm.expired(), repr(cm), 'cancelling', t.cancelling())
    try:
        async with asyncio.timeout(0.01) as cm2:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                raise ValueError('replaced')
    except ValueError as e:
        print('ValueError', e, type(e.__context__).__name__, cm2.expired(), t.cancelling())

asyncio.run(main())
