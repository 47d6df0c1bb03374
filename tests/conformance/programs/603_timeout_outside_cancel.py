"""A Task cancelled from outside inside timeout(): plain CancelledError with its message, the Timeout is not expired; and a Task cancelled from outside just before its timeout fires (timeout(0): the timer is a call_soon) stays cancelled (CancelledError, not TimeoutError), because uncancel() leaves a request pending.
"""


async def guarded(delay, log):
    me = asyncio.current_task()
    try:
        async with asyncio.timeout(delay) as cm:
            await asyncio.sleep(1)
    except TimeoutError:
        log.append('TimeoutError')
    except asyncio.CancelledError as e:
        log.append(f'CancelledError{e.args} expired={cm.expired()} cancelling={me.cancelling()}')
        raise


async def main():
    loop = asyncio.get_running_loop()
    log = []
    t = asyncio.create_task(guarded(10, log))
    await asyncio.sleep(0)
    t.cancel('from outside')
    try:
        await t
    except asyncio.CancelledError as e:
        print('awaiting it raises CancelledError', e.args)
    print(log, 'cancelled()', t.cancelled())

    log = []
    t = asyncio.create_task(guarded(0, log))
    await asyncio.sleep(0)      # t enters timeout(0): its _on_timeout is now in the ready queue
    print('cancel ->', t.cancel('just before'), 'cancelling()', t.cancelling())
    await asyncio.sleep(0.01)
    print(log, 'cancelled()', t.cancelled())


asyncio.run(main())
