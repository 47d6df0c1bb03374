"""asyncio.sleep(delay, result=...) returns result; zero and negative delays return it without waiting on a timer.
"""


async def main():
    loop = asyncio.get_running_loop()
    print(await asyncio.sleep(0))
    print(await asyncio.sleep(0, result='zero'))
    print(await asyncio.sleep(0.01, result={'k': 'short'}))
    t0 = loop.time()
    print(await asyncio.sleep(-5, 'negative'))
    print('negative delay was fast:', loop.time() - t0 < 0.5)
    print('sleep(0) returns a coroutine:', asyncio.iscoroutine(s := asyncio.sleep(0)))
    s.close()


asyncio.run(main())
