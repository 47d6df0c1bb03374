"""In debug mode run_in_executor refuses a coroutine function with TypeError 'coroutines cannot be used with run_in_executor()' (outside debug mode it is not checked).
"""


async def coro_fn():
    return 1


async def main():
    loop = asyncio.get_running_loop()
    try:
        loop.run_in_executor(None, coro_fn)
        print('accepted')
    except TypeError as e:
        print('TypeError:', e)


asyncio.run(main(), debug=True)
