"""A TaskGroup whose children raise an error and SystemExit: SystemExit comes out alone; siblings cancelled; errors list order."""
async def err(n, d):
    await asyncio.sleep(d)
    raise ValueError(n)

async def sysexit():
    await asyncio.sleep(0.002)
    raise SystemExit(3)

async def main():
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(err('a', 0.001))
            tg.create_task(sysexit())
            tg.create_task(err('b', 0))
    except SystemExit as e:
        print('SystemExit', e.code)
    except BaseExceptionGroup as eg:
        print('group', repr(eg))

try:
    asyncio.run(main())
except SystemExit as e:
    print('outside SystemExit', e.code)
