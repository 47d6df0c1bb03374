"""A Lock released while Tasks wait goes to the first waiter: a newcomer that calls acquire() before the woken waiter has run waits behind it (and behind the others), and waiters get the lock in FIFO order; reprs show '[locked, waiters:n]' (module and address stripped).
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def user(name, lock, log):
    log.append(f'{name} wants')
    async with lock:
        log.append(f'{name} holds')
        await asyncio.sleep(0)
    log.append(f'{name} released')


async def main():
    lock = asyncio.Lock()
    log = []
    print(r(lock), lock.locked())
    print('acquire ->', await lock.acquire())
    tasks = [asyncio.create_task(user(f'w{i}', lock, log)) for i in range(3)]
    await asyncio.sleep(0)
    print(r(lock))
    lock.release()                   # wakes w0, which has not run yet
    print('after release:', r(lock), lock.locked())
    newcomer = asyncio.create_task(user('newcomer', lock, log))
    await asyncio.sleep(0)           # the newcomer runs, and must not get the lock
    print(r(lock))
    await asyncio.gather(*tasks, newcomer)
    for line in log:
        print(' ', line)
    print(r(lock))


asyncio.run(main())
