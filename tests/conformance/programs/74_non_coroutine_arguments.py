"""create_task with a non-coroutine raises TypeError 'a coroutine was expected, got ...'; call_soon does not check callability (outside debug mode): the error surfaces when the handle runs.
"""


async def coro():
    return 1


def handler(loop, context):
    print('handler:', context['message'], '|', repr(context['exception']))


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    for label, action in [
        ('asyncio.create_task(1)', lambda: asyncio.create_task(1)),
        ('loop.create_task(None)', lambda: loop.create_task(None)),
        ('loop.create_task(coro)', lambda: loop.create_task(coro)),
    ]:
        try:
            action()
            print(label, 'accepted?!')
        except TypeError as e:
            print(label, '->', str(e).split(' at 0x')[0])
    h = loop.call_soon(1)
    print('call_soon(1) accepted:', isinstance(h, asyncio.Handle))
    await asyncio.sleep(0)
    print('main goes on')


asyncio.run(main())
