"""A generator-based coroutine that yields a non-Future value makes the Task throw RuntimeError 'Task got bad yield: <value>' into it.
"""
import types


@types.coroutine
def bare_yield(value):
    try:
        yield value
    except RuntimeError as e:
        print('generator received:', e)
        raise


@types.coroutine
def recovering():
    try:
        yield 'oops'
    except RuntimeError as e:
        print('recovering from:', e)
    return 'recovered'


async def main():
    for value in (42, 'text', [1, 2]):
        try:
            await bare_yield(value)
        except RuntimeError as e:
            print('awaiter got:', e)
    print('recovering ->', await recovering())
    t = asyncio.create_task(bare_yield(3.5))
    try:
        await t
    except RuntimeError as e:
        print('task failed with:', e)


asyncio.run(main())
