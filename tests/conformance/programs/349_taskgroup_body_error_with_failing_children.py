"""Body raises while children fail at the same time: ordering of exceptions in the group, __context__/__cause__ of the group, the body error last."""
async def err(n):
    await asyncio.sleep(0)
    raise ValueError(n)

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(err('c1'))
            tg.create_task(err('c2'))
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            raise KeyError('body')
    except BaseExceptionGroup as eg:
        print(repr(eg))
        print(eg.__cause__, eg.__suppress_context__, type(eg.__context__).__name__)
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(err('c3'))
            raise KeyError('body-first')
    except BaseExceptionGroup as eg:
        print(repr(eg), type(eg.__context__).__name__)

asyncio.run(main())
