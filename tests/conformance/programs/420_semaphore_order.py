"""Semaphore(2): at most two Tasks inside at once, the others enter in FIFO order as slots are released; acquire() returns True; locked() and reprs '[unlocked, value:n]', '[locked, waiters:n]'.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def job(name, sem, log, gate):
    async with sem:
        log.append(f'{name} in')
        await gate.wait()
    log.append(f'{name} out')


async def main():
    sem = asyncio.Semaphore(2)
    print(r(sem), sem.locked())
    log = []
    gates = [asyncio.Event() for _ in range(5)]
    tasks = [asyncio.create_task(job(f'j{i}', sem, log, gates[i])) for i in range(5)]
    await asyncio.sleep(0)
    print(log, r(sem), sem.locked())
    for i in (1, 0, 3, 2, 4):
        gates[i].set()
        for _ in range(3):
            await asyncio.sleep(0)
        print(f'opened j{i}:', log[-2:], r(sem))
    await asyncio.gather(*tasks)
    print(r(sem))
    print('acquire ->', await sem.acquire(), await sem.acquire(), r(sem))
    sem.release()
    sem.release()
    sem.release()      # a plain Semaphore may go above its start value
    print(r(sem))
    print(r(asyncio.Semaphore(0)), asyncio.Semaphore(0).locked())


asyncio.run(main())
