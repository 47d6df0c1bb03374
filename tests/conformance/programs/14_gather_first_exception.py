"""gather without return_exceptions: the first exception propagates at once; the other children are not cancelled and keep running.

The children are paced by futures the main task releases (no timing races): 'bad1' fails first,
'bad2' and 'slow' go on after gather has already raised.
"""


async def ok(name, gate):
    try:
        await gate
        print(name, 'finished normally')
        return name
    except asyncio.CancelledError:
        print(name, 'was cancelled')
        raise


async def bad(name, gate, exc):
    await gate
    print(name, 'raises', repr(exc))
    raise exc


async def main():
    loop = asyncio.get_running_loop()
    gates = [loop.create_future() for _ in range(3)]
    children = [asyncio.create_task(ok('slow', gates[0])),
                asyncio.create_task(bad('bad1', gates[1], ValueError('first'))),
                asyncio.create_task(bad('bad2', gates[2], KeyError('second')))]
    gates[1].set_result(None)
    try:
        await asyncio.gather(*children)
    except Exception as e:
        print('gather raised', type(e).__name__, e.args)
    print('done right after:', [t.done() for t in children])
    gates[2].set_result(None)
    gates[0].set_result(None)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print('done later:', [t.done() for t in children], 'cancelled:', [t.cancelled() for t in children])
    print('slow result:', children[0].result())
    print('bad2 exception:', repr(children[2].exception()))


asyncio.run(main())
