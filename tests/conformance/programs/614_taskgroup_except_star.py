"""except* on a TaskGroup's ExceptionGroup: handlers split it by type; a nested TaskGroup's failure arrives as a nested group; an unhandled part propagates as a smaller group.
"""


async def fail(exc):
    await asyncio.sleep(0)
    raise exc


async def inner_group():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail(OSError('inner')))


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(ValueError('v')))
            tg.create_task(fail(TypeError('t')))
            tg.create_task(inner_group())
    except* ValueError as eg:
        print('ValueError part:', repr(eg.exceptions))
    except* TypeError as eg:
        print('TypeError part:', repr(eg.exceptions))
    except* OSError as eg:
        print('OSError part:', str(eg), [type(e).__name__ for e in eg.exceptions])
        print('nested:', [repr(e.exceptions) for e in eg.exceptions])

    try:
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(fail(ValueError('handled')))
                tg.create_task(fail(KeyError('not handled')))
        except* ValueError:
            print('handled the ValueError')
    except ExceptionGroup as rest:
        print('rest:', str(rest), repr(rest.exceptions))


asyncio.run(main())
