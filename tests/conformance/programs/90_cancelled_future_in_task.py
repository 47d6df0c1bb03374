"""A task awaiting a Future that somebody else cancels gets CancelledError (with the future's message); if it catches it, the task is not cancelled.
"""


async def waiter(fut):
    try:
        await fut
    except asyncio.CancelledError as e:
        print('waiter caught CancelledError', e.args, 'cancelling()', asyncio.current_task().cancelling())
        return 'recovered'


async def main():
    fut = asyncio.get_running_loop().create_future()
    t = asyncio.create_task(waiter(fut))
    await asyncio.sleep(0)
    fut.cancel('future gone')
    print('result', await t, 'task cancelled()', t.cancelled())


asyncio.run(main())
