"""as_completed(timeout=...): results that arrive in time are yielded, then awaiting the next one raises TimeoutError; leftover tasks keep running.
"""


async def work(name, delay):
    await asyncio.sleep(delay)
    return name


async def main():
    slow = asyncio.create_task(work('slow', 0.3), name='slow')
    fast = asyncio.create_task(work('fast', 0.01), name='fast')
    count = 0
    try:
        for f in asyncio.as_completed([slow, fast], timeout=0.1):
            print('got', await f)
            count += 1
    except TimeoutError:
        print('TimeoutError after', count, 'result(s); slow cancelled?', slow.cancelled())
    print('slow still finishes:', await slow)


asyncio.run(main())
