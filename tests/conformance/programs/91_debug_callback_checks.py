"""In debug mode, call_soon/call_later/call_at check their callback at once: TypeError 'a callable object was expected by call_soon(), got 1', and coroutine functions/objects are refused.
"""


async def coro_fn():
    pass


async def main():
    loop = asyncio.get_running_loop()
    # Debug mode logs callbacks slower than 0.1 s, which depends on the machine's load,
    # not on the behaviour this program pins down.
    loop.slow_callback_duration = 3600
    print('debug:', loop.get_debug())
    for label, action in [('call_soon(1)', lambda: loop.call_soon(1)),
                          ('call_later(0, None)', lambda: loop.call_later(0, None)),
                          ('call_at(0, "x")', lambda: loop.call_at(0, 'x')),
                          ('call_soon(coroutine function)', lambda: loop.call_soon(coro_fn))]:
        try:
            action()
            print(label, 'accepted')
        except TypeError as e:
            print(label, '-> TypeError:', e)


asyncio.run(main(), debug=True)
