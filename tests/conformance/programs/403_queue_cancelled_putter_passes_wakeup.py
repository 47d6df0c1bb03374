"""A putter woken by get_nowait() on a full queue and cancelled before it runs passes the wake-up to the next putter, which puts its item.
"""


async def producer(name, q, log):
    try:
        await q.put(name)
    except asyncio.CancelledError:
        log.append(f'{name} cancelled')
        raise
    log.append(f'{name} put')


async def main():
    q = asyncio.Queue(1)
    q.put_nowait('seed')
    log = []
    p1 = asyncio.create_task(producer('p1', q, log))
    p2 = asyncio.create_task(producer('p2', q, log))
    await asyncio.sleep(0)
    print(str(q))
    print('got', q.get_nowait())   # wakes p1...
    p1.cancel()                     # ...cancelled before it runs
    await asyncio.gather(p1, p2, return_exceptions=True)
    print(log)
    print(str(q))


asyncio.run(main())
