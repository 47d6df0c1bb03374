"""TaskGroup misuse: entered twice, create_task before entering / after exit / while aborting; reprs in each state."""
async def ok():
    await asyncio.sleep(0)
    return 1

async def bad():
    raise ValueError('v')

async def main():
    tg = asyncio.TaskGroup()
    print(repr(tg))
    c = ok()
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print('before:', e)
    c.close()
    async with tg:
        print(repr(tg))
        t = tg.create_task(ok(), name='named')
        print(repr(tg), t.get_name())
        try:
            async with tg:
                pass
        except RuntimeError as e:
            print('twice:', e)
    print(repr(tg), t.result())
    c = ok()
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print('after:', e)
    c.close()
    tg2 = asyncio.TaskGroup()
    try:
        async with tg2:
            tg2.create_task(bad())
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print('body cancelled', repr(tg2))
                c = ok()
                try:
                    tg2.create_task(c)
                except RuntimeError as e:
                    print('aborting:', e)
                c.close()
                raise
    except ExceptionGroup as eg:
        print(repr(eg), repr(tg2))
    try:
        async with tg2:
            pass
    except RuntimeError as e:
        print('reuse:', e)

asyncio.run(main())
