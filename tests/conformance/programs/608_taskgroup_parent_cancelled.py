"""A Task running a TaskGroup is cancelled from outside: the children are cancelled and awaited, the CancelledError (with its message) propagates; a child error during that cancellation still wins as an ExceptionGroup.
"""


async def child(log, name, on_cancel=None):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        log.append(f'{name} cancelled {e.args}')
        if on_cancel:
            raise on_cancel
        raise


async def parent(log, on_cancel=None):
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child(log, 'child', on_cancel))
            await asyncio.sleep(1)
    except BaseException as e:
        log.append(f'parent sees {type(e).__name__} {e.args if not isinstance(e, BaseExceptionGroup) else e.exceptions}')
        raise


async def main():
    for on_cancel in (None, RuntimeError('cleanup failed')):
        log = []
        t = asyncio.create_task(parent(log, on_cancel))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        t.cancel('stop')
        try:
            await t
        except BaseException as e:
            print('awaiting parent:', type(e).__name__)
        print(log, 'cancelled()', t.cancelled(), 'cancelling()', t.cancelling())


asyncio.run(main())
