"""await asyncio.sleep(0) yields exactly one loop iteration: N tasks interleave round-robin in creation order.
"""


async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    print(name, 'done')


async def main():
    tasks = [asyncio.create_task(worker(name, n)) for name, n in (('A', 3), ('B', 2), ('C', 4))]
    print('main created tasks')
    await asyncio.sleep(0)
    print('main after one sleep(0)')
    for t in tasks:
        await t
    print('all done')


asyncio.run(main())
