"""Timeout.reschedule(): later, earlier, to None and back, into the past (fires on the next iteration); its RuntimeErrors before entering, after finishing or expiring; re-entering; a Timeout outside a Task.
"""


async def main():
    loop = asyncio.get_running_loop()
    cm = asyncio.timeout(0.05)
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print('not entered:', e)
    async with cm:
        cm.reschedule(None)
        print('when after None:', cm.when())
        await asyncio.sleep(0.06)
        print('survived the old deadline')
        cm.reschedule(loop.time() + 10)
        cm.reschedule(loop.time() + 0.01)
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print('earlier deadline fired')
            raise
    # (the TimeoutError leaves the async with, so wrap it)


async def past():
    loop = asyncio.get_running_loop()
    order = []
    try:
        async with asyncio.timeout(10) as cm:
            cm.reschedule(loop.time() - 5)
            loop.call_soon(order.append, 'call_soon before the first await')
            order.append('still running before the first await')
            await asyncio.sleep(0)
            order.append('after sleep(0): not reached')
    except TimeoutError:
        order.append('TimeoutError')
    print(order)
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print('after expiry:', e)
    async with asyncio.timeout(1) as ok:
        pass
    try:
        ok.reschedule(2)
    except RuntimeError as e:
        print('after exit:', e)
    try:
        async with ok:
            pass
    except RuntimeError as e:
        print('re-enter:', e)


def outside_task():
    cm = asyncio.timeout_at(None)
    coro = cm.__aenter__()
    try:
        coro.send(None)
    except RuntimeError as e:
        print('from a callback:', e)


async def runner():
    try:
        await main()
    except TimeoutError:
        print('TimeoutError')
    await past()
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_soon(lambda: (outside_task(), done.set_result(None)))
    await done


asyncio.run(runner())
