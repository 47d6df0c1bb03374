"""Lock: a woken waiter cancelled twice with messages; a newcomer arriving meanwhile; reprs and waiters left."""
import re
def r(o):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(o))

async def w(lock, name, log):
    try:
        async with lock:
            log.append(name + ' in')
            await asyncio.sleep(0)
    except asyncio.CancelledError as e:
        log.append((name, 'cancelled', e.args, lock.locked()))
        raise

async def main():
    lock = asyncio.Lock()
    log = []
    await lock.acquire()
    ts = [asyncio.create_task(w(lock, n, log)) for n in 'abc']
    await asyncio.sleep(0)
    print(r(lock))
    lock.release()
    ts[0].cancel('m1'); ts[0].cancel('m2')
    late = asyncio.create_task(w(lock, 'late', log))
    await asyncio.sleep(0)
    print(r(lock), log)
    await asyncio.gather(*ts, late, return_exceptions=True)
    print(log, r(lock), lock._waiters)
    try:
        lock.release()
    except RuntimeError as e:
        print('RuntimeError', e)
    async with lock as x:
        print('as ->', x)

asyncio.run(main())
