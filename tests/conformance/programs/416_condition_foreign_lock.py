"""Condition(lock) uses the given Lock: cond.acquire/release/locked are the lock's own methods, and holding the lock is holding the condition.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def main():
    lock = asyncio.Lock()
    cond = asyncio.Condition(lock)
    print(cond.acquire == lock.acquire, cond.release == lock.release, cond.locked == lock.locked)
    async with lock:
        print('lock held -> cond.locked():', cond.locked(), r(cond))
        cond.notify()
    print(r(cond), r(lock))
    log = []

    async def waiter():
        async with cond:
            await cond.wait()
            log.append(f'woke, lock.locked()={lock.locked()}')

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    print('waiting:', r(cond), r(lock))
    await lock.acquire()
    cond.notify()
    lock.release()
    await t
    print(log, r(lock))
    # Two conditions on one lock.
    other = asyncio.Condition(lock)
    async with cond:
        print('other sees it locked:', other.locked())


asyncio.run(main())
