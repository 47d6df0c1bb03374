"""Future exceptions: set_exception with a class instantiates it, StopIteration is refused with TypeError, and a cancelled future's result()/exception() raise CancelledError.
"""


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_exception(KeyError)
    print('class -> instance:', repr(f.exception()))
    try:
        f.result()
    except KeyError as e:
        print('result() re-raises the same object:', e is f.exception())
    g = loop.create_future()
    try:
        g.set_exception(StopIteration('no'))
    except TypeError as e:
        print('StopIteration -> TypeError:', e)
    print('g still pending:', not g.done())
    c = loop.create_future()
    c.cancel('bye')
    for method in (c.result, c.exception):
        try:
            method()
        except asyncio.CancelledError as e:
            print(method.__name__, 'on cancelled -> CancelledError', e.args)
    try:
        await c
    except asyncio.CancelledError as e:
        print('await cancelled future -> CancelledError', e.args)


asyncio.run(main())
