"""A task's exception is stored: await re-raises the very same object, exception() returns it, result() raises it, and done callbacks still run.
"""


class Custom(Exception):
    pass


async def failing():
    await asyncio.sleep(0)
    raise Custom('stored')


async def main():
    t = asyncio.create_task(failing())
    t.add_done_callback(lambda f: print('done callback: exception is', repr(f.exception())))
    try:
        await t
    except Custom as e:
        first = e
        print('await raised', repr(e))
    print('exception() is the same object:', t.exception() is first)
    try:
        t.result()
    except Custom as e:
        print('result() raises the same object:', e is first)
    print('done', t.done(), 'cancelled', t.cancelled())
    await asyncio.sleep(0)


asyncio.run(main())
