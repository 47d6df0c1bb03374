"""PriorityQueue returns the smallest item first (ties broken by the next tuple field); LifoQueue returns the last item first; their str() shows the underlying list.
"""


async def main():
    pq = asyncio.PriorityQueue()
    for item in [(2, 'b'), (1, 'z'), (3, 'a'), (1, 'a'), (2, 'a')]:
        pq.put_nowait(item)
    print(str(pq))
    print([pq.get_nowait() for _ in range(pq.qsize())])
    lq = asyncio.LifoQueue()
    for i in range(4):
        lq.put_nowait(i)
    print(str(lq))
    print([lq.get_nowait() for _ in range(lq.qsize())])
    # Items that cannot be compared fail in put_nowait, where heapq compares them.
    pq.put_nowait((1, {'x': 1}))
    try:
        pq.put_nowait((1, {'y': 2}))
    except TypeError as e:
        print('TypeError from the heap:', type(e).__name__)
    print('qsize:', pq.qsize())
    # A waiting getter of a PriorityQueue gets the smallest of what is there when it runs.
    pq = asyncio.PriorityQueue()
    t = asyncio.create_task(pq.get())
    await asyncio.sleep(0)
    pq.put_nowait(5)
    pq.put_nowait(1)
    print('waiting getter got', await t)


asyncio.run(main())
