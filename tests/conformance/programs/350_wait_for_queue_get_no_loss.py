"""wait_for(queue.get(), t) timing out in the same tick an item arrives: the item is either returned or left in the queue, never lost; getters left behind."""
async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    loop.call_later(0.01, q.put_nowait, 'item')
    try:
        r = await asyncio.wait_for(q.get(), 0.01)
        print('got', r)
    except TimeoutError as e:
        print('TimeoutError', type(e.__cause__).__name__, 'qsize', q.qsize())
    print(str(q), len(q._getters))
    # timeout 0 on an empty queue, and on a non-empty one
    try:
        await asyncio.wait_for(q.get(), 0)
        print('zero timeout got item; qsize', q.qsize())
    except TimeoutError:
        print('zero timeout TimeoutError; qsize', q.qsize())
    try:
        await asyncio.wait_for(q.get(), 0)
    except TimeoutError as e:
        print('zero timeout on empty: TimeoutError', type(e.__cause__).__name__, e.__cause__.args)
    print(str(q), len(q._getters))

asyncio.run(main())
