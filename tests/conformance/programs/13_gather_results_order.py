"""gather returns results in argument order, whatever the completion order; it accepts coroutines, tasks and futures.

The children finish in an order set by timers that main schedules once every child is parked
(waiting on its own gate future), so the completion order cannot depend on machine load.
"""


async def work(name, gate):
    await gate
    print('finished', name)
    return name.upper()


async def main():
    loop = asyncio.get_running_loop()
    gates = {name: loop.create_future() for name in ('slow', 'fast', 'task', 'mid', 'fut')}
    fut = loop.create_future()
    task = asyncio.create_task(work('task', gates['task']))
    g = asyncio.gather(work('slow', gates['slow']), work('fast', gates['fast']), fut, task,
                       work('mid', gates['mid']))
    print('gather returns a Future:', asyncio.isfuture(g))
    await asyncio.sleep(0)  # every child runs its first step and parks on its gate
    for delay, name in ((0.01, 'fast'), (0.02, 'task'), (0.03, 'fut'), (0.04, 'mid'),
                        (0.05, 'slow')):
        loop.call_later(delay, gates[name].set_result, None)
    gates['fut'].add_done_callback(lambda _: (print('finished fut'), fut.set_result('FUT')))
    res = await g
    print('results:', res, type(res).__name__)


asyncio.run(main())
