"""KeyboardInterrupt/SystemExit raised inside a task are not stored like other exceptions: they propagate out of the loop at once (run_until_complete raises them).
"""


async def interrupter():
    await asyncio.sleep(0)
    raise KeyboardInterrupt('pressed')


async def exiter():
    await asyncio.sleep(0)
    raise SystemExit(3)


loop = asyncio.new_event_loop()
for coro_fn in (interrupter, exiter):
    task = loop.create_task(coro_fn())
    try:
        loop.run_until_complete(task)
    except (KeyboardInterrupt, SystemExit) as e:
        print(coro_fn.__name__, '->', type(e).__name__, e.args)
    print('task done', task.done(), 'exception', repr(task.exception()))
loop.close()
