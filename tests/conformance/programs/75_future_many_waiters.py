"""Several tasks awaiting one Future all resume with its result, in the order they started waiting.
"""


async def waiter(name, fut):
    print(name, 'waits')
    value = await fut
    print(name, 'got', value)
    return name


async def main():
    fut = asyncio.get_running_loop().create_future()
    tasks = [asyncio.create_task(waiter(n, fut)) for n in ('w1', 'w2', 'w3')]
    await asyncio.sleep(0)
    print('setting result')
    fut.set_result('shared')
    print('set_result returned')
    print(await asyncio.gather(*tasks))
    print('awaiting a done future again:', await fut)


asyncio.run(main())
