"""asyncio.wait(return_when=FIRST_EXCEPTION) returns when one raises (without raising itself); if none raises it waits for all.
"""


async def work(delay, exc=None):
    await asyncio.sleep(delay)
    if exc:
        raise exc
    return delay


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    print('constant:', asyncio.FIRST_EXCEPTION)
    tasks = [asyncio.create_task(work(0.01), name='ok-fast'),
             asyncio.create_task(work(0.06, ValueError('bad')), name='raiser'),
             asyncio.create_task(work(0.5), name='ok-slow')]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print('done', names(done), 'pending', names(pending))
    print('exceptions:', sorted(repr(t.exception()) for t in done))
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)
    clean = [asyncio.create_task(work(d), name=f'clean{d}') for d in (0.02, 0.01)]
    done, pending = await asyncio.wait(clean, return_when=asyncio.FIRST_EXCEPTION)
    print('no exception: done', names(done), 'pending', names(pending))


asyncio.run(main())
