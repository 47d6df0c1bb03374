"""Queue errors and reprs: QueueEmpty/QueueFull (no message), their classes are asyncio's own names, repr(queue) is '<Queue at 0x.. ...>' (address stripped), str() lists _queue, _getters[n], _putters[n], tasks=n; Queue[int] is a generic alias.
"""
import re


def r(obj):
    return re.sub(r' at 0x[0-9a-f]+', '', repr(obj))


async def main():
    q = asyncio.Queue(1)
    for call in (q.get_nowait, lambda: (q.put_nowait(1), q.put_nowait(2))):
        try:
            call()
        except (asyncio.QueueEmpty, asyncio.QueueFull) as e:
            print(type(e).__name__, repr(str(e)), issubclass(type(e), Exception))
    print(r(q), '|', str(q))
    putter = asyncio.create_task(q.put(2))
    await asyncio.sleep(0)
    print(r(q))
    print(q.get_nowait(), await putter or 'put returned None')
    print(str(q))
    q.get_nowait()
    g1 = asyncio.create_task(q.get())
    g2 = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    print(str(q))
    g1.cancel()
    g2.cancel()
    await asyncio.sleep(0)
    print(str(q))
    print(str(asyncio.Queue(maxsize=-3)), str(asyncio.LifoQueue()), str(asyncio.PriorityQueue(5)))
    print(asyncio.Queue[int].__origin__.__name__, asyncio.Queue[int].__args__)
    print(str(asyncio.Queue(maxsize='x')))


asyncio.run(main())
