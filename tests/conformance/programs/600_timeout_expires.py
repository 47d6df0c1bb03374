"""timeout(): an expired block raises TimeoutError chained from the CancelledError, the Task goes on uncancelled, and the Timeout's repr, when() and expired() follow its states (the deadline in the active repr is masked: it is a loop time).
"""
import re


def show(cm):
    return re.sub(r'when=[0-9.e+-]+', 'when=T', repr(cm))


async def main():
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    t0 = loop.time()
    cm = asyncio.timeout(0.01)
    print('created:', show(cm), 'delay', round(cm.when() - t0, 2), 'expired', cm.expired())
    try:
        async with cm as entered:
            print('enter returns the Timeout:', entered is cm)
            print('active:', show(cm), 'expired', cm.expired())
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError as e:
                print('block sees', type(e).__name__, e.args, 'cancelling()', me.cancelling())
                print('while expiring:', show(cm), 'expired', cm.expired())
                raise
    except TimeoutError as e:
        print('raised', type(e).__name__, repr(e), 'is asyncio.TimeoutError:', type(e) is asyncio.TimeoutError)
        print('cause', type(e.__cause__).__name__, 'context is cause:', e.__context__ is e.__cause__)
        print('suppress_context', e.__suppress_context__)
    print('after:', show(cm), 'expired', cm.expired(), 'cancelling()', me.cancelling())
    await asyncio.sleep(0)
    print('task goes on, cancelled():', me.cancelled())

    async with asyncio.timeout(10) as cm2:
        await asyncio.sleep(0)
    print('not expired:', show(cm2), cm2.expired())
    async with asyncio.timeout(None) as cm3:
        print('no deadline:', show(cm3), cm3.when())
        await asyncio.sleep(0.01)
    print('after None:', show(cm3))


asyncio.run(main())
