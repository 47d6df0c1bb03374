"""Condition: notify(n) wakes the n first waiters in FIFO order, notify_all() the rest; a woken waiter returns from wait() only once it gets the lock back; wait()/notify() without the lock raise RuntimeError with asyncio's messages; reprs.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def waiter(name, cond, log):
    async with cond:
        log.append(f'{name} waits')
        result = await cond.wait()
        log.append(f'{name} woke ({result}), locked={cond.locked()}')


async def main():
    cond = asyncio.Condition()
    log = []
    for call in (cond.wait(), ):
        try:
            await call
        except RuntimeError as e:
            print('RuntimeError:', e)
    try:
        cond.notify()
    except RuntimeError as e:
        print('RuntimeError:', e)
    tasks = [asyncio.create_task(waiter(f'w{i}', cond, log)) for i in range(5)]
    await asyncio.sleep(0)
    print(r(cond))
    async with cond:
        cond.notify(2)
        print('notified 2:', r(cond))
        await asyncio.sleep(0)
        print('still holding the lock:', log[-1])
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(r(cond))
    async with cond:
        cond.notify(0)
        cond.notify_all()
    await asyncio.gather(*tasks)
    for line in log:
        print(' ', line)
    print(r(cond))
    async with cond:
        cond.notify(3)   # nobody waiting: a no-op
        print('async with ->', r(cond))


asyncio.run(main())
