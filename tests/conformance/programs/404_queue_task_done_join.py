"""join() waits until every item put has been marked task_done(); task_done() too often raises ValueError('task_done() called too many times'); join() on a queue with no unfinished work returns at once.
"""


async def worker(name, q, log):
    while True:
        item = await q.get()
        await asyncio.sleep(0)
        log.append(f'{name}:{item}')
        q.task_done()


async def main():
    q = asyncio.Queue()
    await q.join()
    print('join on a fresh queue returned')
    try:
        q.task_done()
    except ValueError as e:
        print('ValueError:', e)
    log = []
    workers = [asyncio.create_task(worker(f'w{i}', q, log)) for i in range(2)]
    for i in range(5):
        await q.put(i)
    print(str(q))
    await q.join()
    print('joined:', log)
    print(str(q))
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    # The count is of puts, not of gets.
    q.put_nowait('a')
    q.get_nowait()
    print('after get, before task_done:', str(q))
    q.task_done()
    print('after task_done:', str(q))
    try:
        q.task_done()
    except ValueError as e:
        print('ValueError:', e)


asyncio.run(main())
