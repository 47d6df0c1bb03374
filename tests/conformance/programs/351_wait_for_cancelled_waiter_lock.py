"""The Task running wait_for(lock.acquire(), t) is cancelled (with a message) while the inner acquire was just woken: lock state, inner task, message."""
import re
def r(o):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(o))

async def runner(lock, log):
    try:
        await asyncio.wait_for(lock.acquire(), 10)
        log.append('acquired')
    except asyncio.CancelledError as e:
        log.append(('runner cancelled', e.args, lock.locked()))
        raise

async def main():
    lock = asyncio.Lock()
    log = []
    await lock.acquire()
    t = asyncio.create_task(runner(lock, log))
    other = asyncio.create_task(lock.acquire())
    for _ in range(3):
        await asyncio.sleep(0)
    lock.release()
    t.cancel('stop')
    res = await asyncio.gather(t, return_exceptions=True)
    print(log, [repr(x) for x in res])
    await asyncio.sleep(0)
    print(r(lock), other.done())
    if other.done():
        lock.release()
    print(r(lock))

asyncio.run(main())
