"""TaskGroup whose body raises: the children are cancelled and awaited, the body's error joins the group last; a body that raises CancelledError itself; errors of children win over it.
"""


async def slow(log, name):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append(f'{name} cancelled')
        raise


async def fail_soon():
    await asyncio.sleep(0)
    raise ZeroDivisionError('child')


async def main():
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(slow(log, 'slow'))
            await asyncio.sleep(0)
            raise ValueError('body')
    except ExceptionGroup as eg:
        print(str(eg), [repr(e) for e in eg.exceptions], log)

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_soon())
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            raise TypeError('body after child')
    except ExceptionGroup as eg:
        print(str(eg), [repr(e) for e in eg.exceptions])

    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(slow(log, 'only'))
            await asyncio.sleep(0)
            raise asyncio.CancelledError('body cancels itself')
    except asyncio.CancelledError as e:
        print('CancelledError', e.args, log)
    print('cancelling()', asyncio.current_task().cancelling())


asyncio.run(main())
