"""KeyboardInterrupt/SystemExit in a TaskGroup (3.11): a body raising KeyboardInterrupt cancels the children and re-raises it as is, not in a group; a child raising SystemExit leaves the loop at once through run(); run()'s clean-up then reports the main Task's SystemExit as never retrieved (asyncio 3.11 does the same).

conformance: stderr-ok
"""


async def child(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append('child cancelled')
        raise


async def body_interrupt():
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child(log))
            await asyncio.sleep(0)
            raise KeyboardInterrupt('body')
    except KeyboardInterrupt as e:
        print('KeyboardInterrupt', e.args, log)


async def child_exit():
    await asyncio.sleep(0)
    raise SystemExit(3)


async def main():
    await body_interrupt()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(child_exit())
        print('body waits')
        await asyncio.sleep(1)
    print('not reached')


try:
    asyncio.run(main())
except SystemExit as e:
    print('run() raised SystemExit', e.code)
