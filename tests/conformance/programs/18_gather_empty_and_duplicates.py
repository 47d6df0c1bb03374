"""gather() of nothing gives []; the same coroutine or future passed twice is awaited once and its result repeated.
"""

calls = 0


async def counted(v):
    global calls
    calls += 1
    await asyncio.sleep(0)
    return v


async def main():
    print('empty:', await asyncio.gather())
    print('empty with return_exceptions:', await asyncio.gather(return_exceptions=True))
    coro = counted('x')
    print('dup coroutine:', await asyncio.gather(coro, coro, counted('y')), 'calls =', calls)
    fut = asyncio.get_running_loop().create_future()
    fut.set_result(7)
    print('dup future:', await asyncio.gather(fut, fut, fut))
    t = asyncio.create_task(counted('t'))
    print('dup task:', await asyncio.gather(t, t), 'calls =', calls)


asyncio.run(main())
