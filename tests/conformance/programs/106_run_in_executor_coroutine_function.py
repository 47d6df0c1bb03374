"""In debug mode run_in_executor refuses a coroutine function with TypeError 'coroutines cannot be used with run_in_executor()' (outside debug mode it is not checked).
"""


async def coro_fn():
    return 1


async def main():
    loop = asyncio.get_running_loop()
    # Debug mode logs callbacks slower than 0.1 s, which depends on the machine's load,
    # not on the behaviour this program pins down.
    loop.slow_callback_duration = 3600
    try:
        loop.run_in_executor(None, coro_fn)
        print('accepted')
    except TypeError as e:
        print('TypeError:', e)


asyncio.run(main(), debug=True)
