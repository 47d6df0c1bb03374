"""asyncio.wait default ALL_COMPLETED waits for all; with timeout= it returns (done, pending) at the deadline without raising or cancelling.
"""


async def work(delay):
    await asyncio.sleep(delay)
    return delay


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    print('constant:', asyncio.ALL_COMPLETED)
    tasks = [asyncio.create_task(work(d), name=f'w{i}') for i, d in enumerate((0.02, 0, 0.01))]
    done, pending = await asyncio.wait(tasks)
    print('all: done', names(done), 'pending', names(pending))
    tasks = [asyncio.create_task(work(d), name=f't{i}') for i, d in enumerate((0.01, 0.5, 0, 0.6))]
    done, pending = await asyncio.wait(tasks, timeout=0.1)
    print('timeout: done', names(done), 'pending', names(pending))
    print('pending not cancelled:', [t.cancelled() for t in sorted(pending, key=lambda t: t.get_name())])
    for t in pending:
        t.cancel()
    fut = asyncio.get_running_loop().create_future()
    done, pending = await asyncio.wait([fut], timeout=0)
    print('timeout=0 on pending future: done', len(done), 'pending', len(pending))
    fut.cancel()


asyncio.run(main())
