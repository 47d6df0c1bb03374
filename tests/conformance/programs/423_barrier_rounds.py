"""Barrier(3): each wait() returns the arrival index 0..2 once three Tasks wait; the barrier then fills again for the next round; n_waiting, parties, broken and reprs ('[filling, waiters:n/3]', '[draining, waiters:0/3]').
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def party(name, barrier, log, rounds):
    for rnd in range(rounds):
        index = await barrier.wait()
        log.append(f'round {rnd}: {name} index {index}')
        await asyncio.sleep(0)


async def main():
    barrier = asyncio.Barrier(3)
    print(r(barrier), barrier.parties, barrier.n_waiting, barrier.broken)
    log = []
    tasks = []
    for i in range(3):
        tasks.append(asyncio.create_task(party(f'p{i}', barrier, log, 2)))
        await asyncio.sleep(0)
        print(r(barrier), 'n_waiting:', barrier.n_waiting)
    await asyncio.sleep(0)
    print('after the third:', r(barrier))
    await asyncio.gather(*tasks)
    for line in log:
        print(' ', line)
    print(r(barrier))


async def single():
    b = asyncio.Barrier(1)
    async with b as idx:
        print('Barrier(1): async with ->', idx, r(b))
    try:
        asyncio.Barrier(0)
    except ValueError as e:
        print('ValueError:', e)


asyncio.run(main())
asyncio.run(single())
