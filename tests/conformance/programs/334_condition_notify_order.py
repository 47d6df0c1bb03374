"""Condition notify(n) wakes the oldest waiters first; notify with n larger than waiters; notify(0); negative n."""
async def waiter(c, name, log):
    async with c:
        await c.wait()
        log.append(name)

async def main():
    c = asyncio.Condition()
    log = []
    ts = [asyncio.create_task(waiter(c, n, log)) for n in 'abcde']
    await asyncio.sleep(0)
    async with c:
        c.notify(0); c.notify(-1)
    await asyncio.sleep(0)
    print(log)
    async with c:
        c.notify(2)
        c.notify(1)
    for _ in range(5):
        await asyncio.sleep(0)
    print(log)
    async with c:
        c.notify(10)
    await asyncio.gather(*ts)
    print(log)

asyncio.run(main())
