"""A Queue with maxsize: put() waits while full; putters are woken one per get_nowait() in FIFO order; full(), qsize(), maxsize; maxsize <= 0 never full.
"""


async def producer(name, q, log):
    log.append(f'{name} putting')
    await q.put(name)
    log.append(f'{name} put')


async def main():
    q = asyncio.Queue(maxsize=2)
    print('maxsize:', q.maxsize, 'full:', q.full(), 'empty:', q.empty())
    log = []
    tasks = [asyncio.create_task(producer(f'p{i}', q, log)) for i in range(5)]
    await asyncio.sleep(0)
    print(log)
    print(str(q), 'full:', q.full())
    log.clear()
    while q.qsize():
        print('got', q.get_nowait())
        await asyncio.sleep(0)
        print('  ', log, str(q))
        log.clear()
    await asyncio.gather(*tasks)
    for size in (0, -1):
        u = asyncio.Queue(size)
        for i in range(100):
            u.put_nowait(i)
        print(f'maxsize={size}: full after 100 puts:', u.full(), 'qsize:', u.qsize())


asyncio.run(main())
