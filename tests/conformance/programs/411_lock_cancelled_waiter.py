"""A Lock waiter woken by release() and cancelled before it runs passes the wake-up to the next waiter; a waiter cancelled before being woken just leaves; when every waiter is cancelled a newcomer takes the free lock at once.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def waiter(name, lock, log):
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        log.append(f'{name} cancelled, locked={lock.locked()}')
        raise
    log.append(f'{name} acquired')
    lock.release()


async def main():
    lock = asyncio.Lock()
    log = []
    await lock.acquire()
    a = asyncio.create_task(waiter('a', lock, log))
    b = asyncio.create_task(waiter('b', lock, log))
    await asyncio.sleep(0)
    lock.release()      # wakes a...
    a.cancel()          # ...which is cancelled before it runs: b must get the lock
    await asyncio.gather(a, b, return_exceptions=True)
    print(log, r(lock))

    log.clear()
    await lock.acquire()
    c = asyncio.create_task(waiter('c', lock, log))
    d = asyncio.create_task(waiter('d', lock, log))
    await asyncio.sleep(0)
    c.cancel()          # not woken yet
    print('c cancelled, not yet run:', r(lock))
    await asyncio.sleep(0)
    print('after c ran:', r(lock), log)
    lock.release()
    await d
    print(log, r(lock))

    log.clear()
    await lock.acquire()
    e = asyncio.create_task(waiter('e', lock, log))
    await asyncio.sleep(0)
    e.cancel()
    lock.release()      # e's Future is cancelled: nobody to wake
    print('released:', r(lock))
    print('newcomer acquire ->', await lock.acquire(), r(lock))
    await asyncio.gather(e, return_exceptions=True)
    print(log, r(lock))
    lock.release()


asyncio.run(main())
