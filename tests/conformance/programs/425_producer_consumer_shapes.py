"""Producer/consumer: a consumer that stops when queue.empty() quits early if it runs while the producer is still producing; a sentinel, or join() then cancel(), gets every item.
"""


async def producer(q, n):
    for i in range(n):
        await q.put(i)
        for _ in range(3):          # some work between items (three turns of the loop)
            await asyncio.sleep(0)


async def empty_consumer(q, got):
    while not q.empty():
        got.append(await q.get())
        q.task_done()
        await asyncio.sleep(0)


async def forever_consumer(q, got):
    while True:
        got.append(await q.get())
        q.task_done()


async def sentinel_consumer(q, got):
    while (item := await q.get()) is not None:
        got.append(item)


async def main():
    q, got = asyncio.Queue(), []
    prod = asyncio.create_task(producer(q, 5))
    await asyncio.sleep(0)
    await empty_consumer(q, got)
    await prod
    print('empty() loop, concurrent:', got, 'left in queue:', q.qsize())

    q, got = asyncio.Queue(), []
    cons = asyncio.create_task(forever_consumer(q, got))
    await producer(q, 5)
    await q.join()
    cons.cancel()
    await asyncio.gather(cons, return_exceptions=True)
    print('join + cancel:', got, 'consumer cancelled:', cons.cancelled())

    q, got = asyncio.Queue(), []
    cons = asyncio.create_task(sentinel_consumer(q, got))
    await producer(q, 5)
    await q.put(None)
    await cons
    print('sentinel:', got)


asyncio.run(main())
