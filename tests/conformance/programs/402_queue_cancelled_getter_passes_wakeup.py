"""A getter woken by put_nowait() and cancelled before it runs passes the wake-up to the next getter: the item is not lost. Also through wait_for(queue.get(), t) when the waiting task is cancelled.

Under wait_for the two log lines are printed sorted: from 3.12 wait_for is built on
asyncio.timeout (gh-96764) and the cancelled task finishes one loop turn earlier; what is
pinned down is that the second getter gets the item.
"""


async def consumer(name, q, log):
    try:
        item = await q.get()
    except asyncio.CancelledError:
        log.append(f'{name} cancelled')
        raise
    log.append(f'{name} got {item}')


async def wf_consumer(name, q, log):
    try:
        item = await asyncio.wait_for(q.get(), 10)
    except asyncio.CancelledError:
        log.append(f'{name} cancelled')
        raise
    log.append(f'{name} got {item}')


async def scenario(make_first, sort=False):
    q = asyncio.Queue()
    log = []
    first = asyncio.create_task(make_first('first', q, log))
    second = asyncio.create_task(consumer('second', q, log))
    for _ in range(3):
        await asyncio.sleep(0)
    print('  before:', str(q))
    q.put_nowait('item')      # wakes `first`...
    first.cancel()            # ...which is cancelled before it runs
    await asyncio.gather(first, second, return_exceptions=True)
    print('  log:', sorted(log) if sort else log)
    print('  after:', str(q), 'first cancelled:', first.cancelled())


async def main():
    print('plain get():')
    await scenario(consumer)
    print('wait_for(get()):')
    await scenario(wf_consumer, sort=True)
    # A getter cancelled before any put simply leaves the queue.
    q = asyncio.Queue()
    t = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    print('waiting:', str(q))
    t.cancel()
    await asyncio.sleep(0)
    print('after cancel:', str(q), t.cancelled())
    q.put_nowait(1)
    print('item stays:', str(q))


asyncio.run(main())
