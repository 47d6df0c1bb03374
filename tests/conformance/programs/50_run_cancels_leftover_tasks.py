"""asyncio.run cancels tasks still pending when main returns, runs their finally blocks (even ones that await) to the end, and closes the loop.

The order in which asyncio cancels leftover tasks follows set iteration (memory addresses), so
each task's events are collected and printed per task, sorted by task name.
"""

loop_ref = []
events = {}


async def background():
    log = events.setdefault(asyncio.current_task().get_name(), [])
    try:
        log.append('started')
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        log.append(f'cancelled at shutdown, args {e.args}')
        raise
    finally:
        log.append('finally')
        await asyncio.sleep(0)
        log.append('finally after await')


async def catcher():
    log = events.setdefault(asyncio.current_task().get_name(), [])
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append('swallows the shutdown cancel')
        await asyncio.sleep(0)
        log.append('returns normally')
    return 'fine'


async def main():
    loop_ref.append(asyncio.get_running_loop())
    asyncio.create_task(background(), name='bg1')
    asyncio.create_task(background(), name='bg2')
    asyncio.create_task(catcher(), name='catcher')
    await asyncio.sleep(0)
    print('main returns; events so far:', sorted((k, len(v)) for k, v in events.items()))
    return 'main result'


print('run ->', asyncio.run(main()))
for name in sorted(events):
    print(name, events[name])
print('loop closed:', loop_ref[0].is_closed())
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print('after run:', e)
