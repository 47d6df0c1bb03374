"""Condition.wait_for(predicate) calls the predicate at once and after every wake-up, returns its (truthy) value; passing the predicate's *result* (a bool, as in `wait_for(is_available())`) raises TypeError ("'bool' object is not callable") at once, whether it is False or True, and the caller keeps the lock.
"""

items = []


def is_available():
    return len(items) > 0


async def consumer(cond, log):
    async with cond:
        got = await cond.wait_for(lambda: items and items[:])
        log.append(f'wait_for -> {got}')
        items.clear()


async def main():
    cond = asyncio.Condition()
    log = []
    t = asyncio.create_task(consumer(cond, log))
    for x in (1, 2):
        await asyncio.sleep(0)
        async with cond:
            cond.notify()        # woken, predicate still false: waits again
            log.append('notified, nothing there')
    async with cond:
        items.append('a')
        items.append('b')
        cond.notify()
    await t
    print(log)
    async with cond:
        try:
            await cond.wait_for(is_available())     # the seed's mistake, while empty
        except TypeError as e:
            print('TypeError:', e)
        print('lock still held:', cond.locked())
        items.append('c')
        try:
            await cond.wait_for(is_available())     # even when it is True
        except TypeError as e:
            print('with an item, TypeError:', e)
        print('right way ->', await cond.wait_for(is_available))


asyncio.run(main())
