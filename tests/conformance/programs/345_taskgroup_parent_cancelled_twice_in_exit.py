"""The parent of a TaskGroup is cancelled (with a message) twice while __aexit__ waits for children that resist once; cancelling() counts and the message that comes out."""
async def stubborn(log, name):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        log.append((name, 'first cancel', e.args))
        await asyncio.sleep(0.001)
        log.append((name, 'cleanup done'))
        raise

async def parent(log):
    t = asyncio.current_task()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(stubborn(log, 'a'))
    except asyncio.CancelledError as e:
        log.append(('parent CancelledError', e.args, t.cancelling()))
        raise

async def main():
    log = []
    p = asyncio.create_task(parent(log))
    await asyncio.sleep(0); await asyncio.sleep(0)
    p.cancel('one')
    await asyncio.sleep(0)
    p.cancel('two')
    try:
        await p
    except asyncio.CancelledError as e:
        print('p cancelled', e.args, p.cancelling())
    for x in log:
        print(x)

asyncio.run(main())
