"""wait_for timeout: the inner task is cancelled and its finally runs before wait_for raises the builtin TimeoutError (chained from CancelledError).
"""


async def slow():
    try:
        await asyncio.sleep(1)
        print('slow finished (should not happen)')
    except asyncio.CancelledError:
        print('inner got CancelledError')
        raise
    finally:
        print('inner finally')


async def main():
    print('asyncio.TimeoutError is TimeoutError:', asyncio.TimeoutError is TimeoutError)
    task = asyncio.create_task(slow())
    try:
        await asyncio.wait_for(task, 0.02)
    except TimeoutError as e:
        print('caught', type(e).__name__, repr(str(e)))
        print('cause:', type(e.__cause__).__name__)
    print('inner cancelled():', task.cancelled())
    try:
        await asyncio.wait_for(slow(), timeout=0.01)
    except asyncio.TimeoutError:
        print('coroutine form also timed out')


asyncio.run(main())
