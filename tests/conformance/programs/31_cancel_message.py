"""Task.cancel(msg): the message reaches the coroutine's CancelledError args and the awaiter's CancelledError; cancel() returns True, then the task reports cancelled().
"""


async def victim():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print('inside the task: args', e.args)
        raise


async def main():
    t = asyncio.create_task(victim())
    await asyncio.sleep(0)
    print('cancel() ->', t.cancel('shutting down'))
    try:
        await t
    except asyncio.CancelledError as e:
        print('awaiter: args', e.args)
    print('cancelled()', t.cancelled(), 'done()', t.done())
    try:
        t.result()
    except asyncio.CancelledError as e:
        print('result() raises CancelledError, args', e.args)
    try:
        t.exception()
    except asyncio.CancelledError as e:
        print('exception() raises CancelledError, args', e.args)
    t2 = asyncio.create_task(victim())
    print('cancel before first step ->', t2.cancel('early'))
    try:
        await t2
    except asyncio.CancelledError as e:
        print('never-started task: awaiter args', e.args)
    print('CancelledError is BaseException, not Exception:',
          issubclass(asyncio.CancelledError, BaseException),
          issubclass(asyncio.CancelledError, Exception))


asyncio.run(main())
