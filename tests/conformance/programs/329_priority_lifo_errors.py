"""PriorityQueue with uncomparable items, LifoQueue order, Queue generic alias, maxsize negative, reprs."""
async def main():
    pq = asyncio.PriorityQueue()
    pq.put_nowait((1, 'a'))
    try:
        pq.put_nowait((1, {}))
        pq.put_nowait((1, {}))
    except TypeError as e:
        print('TypeError', e)
    print(str(pq), pq.qsize())
    lq = asyncio.LifoQueue(maxsize=-3)
    for i in range(3):
        await lq.put(i)
    print(str(lq), lq.full(), lq.maxsize, [lq.get_nowait() for _ in range(3)])
    print(str(asyncio.Queue[int]).split('.')[-1], str(asyncio.PriorityQueue[str]).split('.')[-1])
    g = asyncio.create_task(pq.get())
    await asyncio.sleep(0)
    print(str(pq))
    q = asyncio.Queue()
    gs = [asyncio.create_task(q.get()) for _ in range(2)]
    await asyncio.sleep(0)
    print(str(q))
    for t in gs: t.cancel()
    await asyncio.sleep(0)
    print(str(q), len(q._getters))
    print(await g)

asyncio.run(main())
