"""Queue getters waiting on an empty queue are woken in the order they started waiting, one per put_nowait(); str(queue) shows the waiting getters and the unfinished count.
"""


async def consumer(name, q, log):
    item = await q.get()
    log.append(f'{name} got {item}')


async def main():
    q = asyncio.Queue()
    log = []
    tasks = [asyncio.create_task(consumer(f'c{i}', q, log)) for i in range(4)]
    await asyncio.sleep(0)
    print(str(q))
    for item in 'abcd':
        q.put_nowait(item)
        print('after put', item, str(q), 'empty:', q.empty())
        await asyncio.sleep(0)
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    print(log)
    print(str(q), 'qsize:', q.qsize())
    # Two puts before any getter runs: both woken, still FIFO.
    tasks = [asyncio.create_task(consumer(f'd{i}', q, log)) for i in range(2)]
    await asyncio.sleep(0)
    q.put_nowait('x')
    q.put_nowait('y')
    await asyncio.gather(*tasks)
    print(log[-2:])


asyncio.run(main())
