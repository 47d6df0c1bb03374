"""Long results, exceptions and callback arguments are shortened in reprs the way reprlib does it.
"""


def cb(*args):
    pass


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(list(range(100)))
    print(repr(f))
    g = loop.create_future()
    g.set_result('x' * 200)
    print(repr(g))
    e = loop.create_future()
    e.set_exception(ValueError('y' * 200))
    print(repr(e))
    e.exception()
    h = loop.call_soon(cb, list(range(50)), 'z' * 100, {'k': 1})
    print(repr(h))
    h.cancel()


asyncio.run(main())
