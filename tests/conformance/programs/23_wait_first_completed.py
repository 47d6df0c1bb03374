"""asyncio.wait(return_when=FIRST_COMPLETED) returns as soon as one finishes; done/pending are sets of the given tasks (printed sorted by name).
"""


async def work(delay):
    await asyncio.sleep(delay)
    return delay


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    tasks = [asyncio.create_task(work(d), name=n)
             for n, d in (('slow', 0.3), ('fast', 0.01), ('medium', 0.2))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print('constant:', asyncio.FIRST_COMPLETED)
    print('done', names(done), 'pending', names(pending))
    print('types', type(done).__name__, type(pending).__name__)
    print('same objects:', done | pending == set(tasks))
    for t in pending:
        t.cancel()
    done2, pending2 = await asyncio.wait(pending)
    print('after cancel: done', names(done2), 'pending', names(pending2),
          'cancelled', sorted(t.get_name() for t in done2 if t.cancelled()))


asyncio.run(main())
