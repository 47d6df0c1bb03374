"""A Semaphore waiter woken by release() and cancelled before it runs gives its slot back and wakes the next waiter; a waiter cancelled before being woken just leaves; a newcomer does not pass a waiter that has been woken.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def waiter(name, sem, log):
    try:
        await sem.acquire()
    except asyncio.CancelledError:
        log.append(f'{name} cancelled')
        raise
    log.append(f'{name} acquired')


async def main():
    sem = asyncio.Semaphore(1)
    log = []
    await sem.acquire()
    a = asyncio.create_task(waiter('a', sem, log))
    b = asyncio.create_task(waiter('b', sem, log))
    await asyncio.sleep(0)
    print(r(sem))
    sem.release()     # wakes a (its slot is reserved: value stays 0)
    print('released:', r(sem))
    a.cancel()        # a leaves: slot goes to b
    await asyncio.gather(a, b, return_exceptions=True)
    print(log, r(sem))

    log.clear()
    c = asyncio.create_task(waiter('c', sem, log))
    d = asyncio.create_task(waiter('d', sem, log))
    await asyncio.sleep(0)
    c.cancel()        # not woken yet
    await asyncio.gather(c, return_exceptions=True)
    print('c gone:', r(sem), sem.locked())
    sem.release()
    await d
    print(log, r(sem))

    log.clear()
    e = asyncio.create_task(waiter('e', sem, log))
    await asyncio.sleep(0)
    sem.release()                                      # wakes e
    newcomer = asyncio.create_task(waiter('newcomer', sem, log))
    await asyncio.sleep(0)
    print(log, r(sem), 'locked:', sem.locked())
    sem.release()
    await asyncio.gather(e, newcomer)
    print(log, r(sem))


asyncio.run(main())
