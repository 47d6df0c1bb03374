"""wait_for with a long timeout inside timeout() with a short one: the outer deadline wins; the inner coroutine is cancelled and waited for; which error comes out."""
async def work(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        log.append(('work cancelled', e.args))
        await asyncio.sleep(0)
        log.append('work cleanup done')
        raise

async def main():
    log = []
    t = asyncio.current_task()
    try:
        async with asyncio.timeout(0.01) as cm:
            await asyncio.wait_for(work(log), 5)
    except TimeoutError as e:
        print('TimeoutError', type(e.__cause__).__name__, cm.expired(), t.cancelling())
    print(log)
    log.clear()
    try:
        async with asyncio.timeout(5):
            await asyncio.wait_for(work(log), 0.01)
    except TimeoutError as e:
        print('TimeoutError from wait_for', type(e.__cause__).__name__, t.cancelling())
    print(log)

asyncio.run(main())
