"""TaskGroup error aggregation: the first failure cancels the siblings and the body's await; every error is collected, in order of failure, into 'unhandled errors in a TaskGroup (N sub-exceptions)'; the parent's cancel request is taken back.
"""


async def fail(delay, exc):
    await asyncio.sleep(delay)
    raise exc


async def sibling(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        log.append(f'sibling cancelled {e.args}')
        raise


async def main():
    me = asyncio.current_task()
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(0.02, ValueError('second')))
            tg.create_task(fail(0, KeyError('first')))
            tg.create_task(fail(0, ValueError('just after')))
            s = tg.create_task(sibling(log))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError as e:
                log.append(f'body cancelled {e.args} cancelling={me.cancelling()}')
                raise
    except BaseException as eg:
        print(type(eg).__name__, str(eg))
        print([repr(e) for e in eg.exceptions])
        print('cause', eg.__cause__, 'suppress_context', eg.__suppress_context__)
    print(log, s.cancelled())
    print('parent cancelling()', me.cancelling(), 'cancelled()', me.cancelled())

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(0, SystemError('only')))
    except* SystemError as eg:
        print('one error is still a group:', type(eg).__name__, repr(eg.exceptions))


asyncio.run(main())
