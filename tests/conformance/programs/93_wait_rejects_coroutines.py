"""asyncio.wait given bare coroutines (3.11) raises TypeError 'Passing coroutines is forbidden, use tasks explicitly.'; tasks and futures are fine.
"""


async def job(n):
    return n


async def main():
    coros = [job(1), job(2)]
    try:
        await asyncio.wait(coros)
    except TypeError as e:
        print('TypeError:', e)
    finally:
        for c in coros:
            c.close()
    mixed = [asyncio.create_task(job(3)), job(4)]
    try:
        await asyncio.wait(mixed)
    except TypeError as e:
        print('one coroutine among tasks -> TypeError:', e)
    finally:
        mixed[1].close()
    done, pending = await asyncio.wait([mixed[0]])
    print('task alone:', [t.result() for t in done], len(pending))


asyncio.run(main())
