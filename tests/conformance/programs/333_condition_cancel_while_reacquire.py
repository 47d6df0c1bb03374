"""Condition.wait: notified then cancelled while re-acquiring the lock; cancelled twice; the lock is held when wait raises."""
async def waiter(c, name, log):
    async with c:
        try:
            await c.wait()
            log.append((name, 'woke', c.locked()))
        except asyncio.CancelledError as e:
            log.append((name, 'cancelled', e.args, c.locked()))
            raise

async def main():
    c = asyncio.Condition()
    log = []
    ts = [asyncio.create_task(waiter(c, n, log)) for n in 'abc']
    await asyncio.sleep(0)
    async with c:
        c.notify(2)
        await asyncio.sleep(0)
        ts[0].cancel('x')
        await asyncio.sleep(0)
        ts[0].cancel('y')
        ts[1].cancel()
        await asyncio.sleep(0)
        print('waiters', len(c._waiters), 'lock waiters', len(c._lock._waiters or ()))
    for _ in range(4):
        await asyncio.sleep(0)
    print(log)
    async with c:
        c.notify_all()
    res = await asyncio.gather(*ts, return_exceptions=True)
    print([repr(x) for x in res], log[-1:], c.locked(), len(c._waiters))

asyncio.run(main())
