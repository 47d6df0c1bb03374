"""Barrier: a party cancelled while waiting; the barrier's count and state afterwards; then abort/reset; reprs."""
import re
def r(o):
    return re.sub(r'<\S+\.(\w+) object at 0x[0-9a-f]+', r'<\1', repr(o))

async def party(b, name, log):
    try:
        i = await b.wait()
        log.append((name, i))
    except asyncio.CancelledError:
        log.append((name, 'cancelled'))
        raise
    except asyncio.BrokenBarrierError as e:
        log.append((name, 'broken', str(e)))

async def main():
    b = asyncio.Barrier(3)
    log = []
    a = asyncio.create_task(party(b, 'a', log))
    c = asyncio.create_task(party(b, 'c', log))
    await asyncio.sleep(0)
    print(r(b))
    a.cancel()
    await asyncio.sleep(0); await asyncio.sleep(0)
    print(r(b), log)
    d = asyncio.create_task(party(b, 'd', log))
    e2 = asyncio.create_task(party(b, 'e', log))
    for _ in range(5):
        await asyncio.sleep(0)
    print(r(b), log)
    f = asyncio.create_task(party(b, 'f', log))
    await asyncio.sleep(0)
    await b.reset()
    for _ in range(5):
        await asyncio.sleep(0)
    print(r(b), log)
    await b.abort()
    await party(b, 'g', log)
    print(r(b), log[-1], b.broken, b.n_waiting)
    try:
        asyncio.Barrier(0)
    except ValueError as e:
        print('ValueError', e)
    await asyncio.gather(a, c, d, e2, f, return_exceptions=True)

asyncio.run(main())
