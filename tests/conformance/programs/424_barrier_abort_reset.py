"""Barrier.abort() makes waiting Tasks raise BrokenBarrierError('Abort or reset of barrier') and later wait() calls raise BrokenBarrierError('Barrier aborted'); reset() breaks the current waiters and lets the barrier fill again; reprs '[broken]', '[resetting, ...]'.
"""
import re


def r(obj):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(obj))


async def party(name, barrier, log):
    try:
        index = await barrier.wait()
        log.append(f'{name} index {index}')
    except asyncio.BrokenBarrierError as e:
        log.append(f'{name} BrokenBarrierError: {e}')


async def main():
    b = asyncio.Barrier(3)
    log = []
    tasks = [asyncio.create_task(party(f'a{i}', b, log)) for i in range(2)]
    await asyncio.sleep(0)
    print(r(b))
    await b.reset()
    print('reset:', r(b))
    await asyncio.gather(*tasks)
    print(log, r(b))
    log.clear()
    tasks = [asyncio.create_task(party(f'b{i}', b, log)) for i in range(3)]
    await asyncio.gather(*tasks)
    print('full round after reset:', log, r(b))
    log.clear()
    tasks = [asyncio.create_task(party(f'c{i}', b, log)) for i in range(2)]
    await asyncio.sleep(0)
    await b.abort()
    print('aborted:', r(b), b.broken, b.n_waiting)
    await asyncio.gather(*tasks)
    await party('late', b, log)
    for line in log:
        print(' ', line)
    await b.reset()
    print('reset an aborted barrier:', r(b), b.broken)


asyncio.run(main())
