"""Queue getters: cancelled twice (with messages) while waiting and right after being woken; what is left in _getters and who gets the items."""
async def getter(q, name, log):
    try:
        item = await q.get()
        log.append((name, 'got', item))
    except asyncio.CancelledError as e:
        log.append((name, 'cancelled', e.args))
        raise

async def main():
    q = asyncio.Queue()
    log = []
    ts = [asyncio.create_task(getter(q, n, log)) for n in 'abcd']
    await asyncio.sleep(0)
    print('getters', len(q._getters))
    ts[0].cancel('first'); ts[0].cancel('second')
    q.put_nowait(1)            # would wake a (cancelled) -> goes to b
    ts[1].cancel('woken')      # b woken then cancelled -> passes on to c
    q.put_nowait(2)
    await asyncio.sleep(0)
    print('getters after', len(q._getters), 'qsize', q.qsize())
    await asyncio.sleep(0)
    for t in ts:
        if not t.done():
            t.cancel()
    res = await asyncio.gather(*ts, return_exceptions=True)
    print(log)
    print([type(r).__name__ for r in res], [t.cancelling() for t in ts])
    print(str(q), len(q._getters), len(q._putters))

asyncio.run(main())
