"""Bounded Queue putters: one woken then cancelled passes the wake-up on; the items land in order; repr after."""
async def putter(q, item, log):
    try:
        await q.put(item)
        log.append(('put', item))
    except asyncio.CancelledError:
        log.append(('cancelled', item, q.qsize()))
        raise

async def main():
    q = asyncio.Queue(maxsize=1)
    q.put_nowait('x')
    log = []
    ts = [asyncio.create_task(putter(q, i, log)) for i in range(3)]
    await asyncio.sleep(0)
    print(str(q))
    print(q.get_nowait())  # wakes putter 0
    ts[0].cancel()
    await asyncio.sleep(0)
    print(str(q), log)
    print(q.get_nowait())
    await asyncio.sleep(0)
    print(str(q), log)
    ts[2].cancel('bye')
    r = await asyncio.gather(*ts, return_exceptions=True)
    print([repr(x) for x in r])
    print(str(q), len(q._putters))

asyncio.run(main())
