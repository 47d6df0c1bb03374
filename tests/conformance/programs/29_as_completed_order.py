"""as_completed yields awaitables in completion order; each await gives that result (or raises that exception).

The children finish in an order set by timers that main schedules once every child is parked,
so the order cannot depend on machine load.
"""


async def work(name, gate, exc=None):
    await gate
    if exc:
        raise exc
    return name


async def main():
    loop = asyncio.get_running_loop()
    gates = {name: loop.create_future() for name in 'abcz'}
    gates['err'] = loop.create_future()
    aws = [work('c', gates['c']), work('a', gates['a']),
           asyncio.create_task(work('b', gates['b'])),
           work('err', gates['err'], KeyError('k')), work('z', gates['z'])]
    it = asyncio.as_completed(aws)
    print('as_completed returns an iterator:', iter(it) is it)
    await asyncio.sleep(0)  # every child runs its first step and parks on its gate
    for delay, name in ((0.005, 'z'), (0.01, 'a'), (0.015, 'err'), (0.02, 'b'), (0.025, 'c')):
        loop.call_later(delay, gates[name].set_result, None)
    for f in it:
        try:
            print('got', await f)
        except KeyError as e:
            print('raised', repr(e))
    print('empty:', list(asyncio.as_completed([])))


asyncio.run(main())
