"""Semaphore: a woken waiter cancelled before running gives its slot back; a newcomer arriving meanwhile; order of entry; value and reprs; BoundedSemaphore over-release."""
import re
def r(o):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(o))

async def w(sem, name, log):
    try:
        async with sem:
            log.append(name)
            await asyncio.sleep(0)
    except asyncio.CancelledError as e:
        log.append((name, 'cancelled', e.args, sem._value))
        raise

async def main():
    sem = asyncio.Semaphore(0)
    log = []
    ts = [asyncio.create_task(w(sem, n, log)) for n in 'abc']
    await asyncio.sleep(0)
    print(r(sem))
    sem.release()
    ts[0].cancel('go away')
    late = asyncio.create_task(w(sem, 'late', log))
    await asyncio.sleep(0)
    print(r(sem), log)
    sem.release()
    await asyncio.gather(*ts, late, return_exceptions=True)
    print(log, r(sem))
    b = asyncio.BoundedSemaphore(1)
    try:
        b.release()
    except ValueError as e:
        print('ValueError', e)
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print('ValueError', e)
    print(r(b), b.locked())

asyncio.run(main())
