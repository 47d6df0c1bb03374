"""How many loop iterations common awaits take (counted by a self-rescheduling call_soon callback), which decides how tasks interleave.

One tick = one _run_once iteration. The counts are asyncio's (3.11): e.g. awaiting an already
done future takes no iteration, sleep(0) one, and wait()/wait_for()/gather() a few.
"""

ticks = 0


def ticker(loop):
    global ticks
    ticks += 1
    loop.call_soon(ticker, loop)


async def noop():
    return 1


async def yield_once():
    await asyncio.sleep(0)


async def measure(label, make):
    start = ticks
    await make()
    print(f'{label:44} {ticks - start}')


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(ticker, loop)
    await asyncio.sleep(0)

    def done_future():
        f = loop.create_future()
        f.set_result(1)
        return f

    def soon_future():
        f = loop.create_future()
        loop.call_soon(f.set_result, 1)
        return f

    await measure('await sleep(0)', lambda: asyncio.sleep(0))
    await measure('await done future', done_future)
    await measure('await future set by call_soon', soon_future)
    await measure('await coroutine (no task)', noop)
    await measure('await create_task(noop())', lambda: asyncio.create_task(noop()))
    await measure('await create_task(yield_once())', lambda: asyncio.create_task(yield_once()))
    await measure('await gather()', lambda: asyncio.gather())
    await measure('await gather(done future)', lambda: asyncio.gather(done_future()))
    await measure('await gather(noop(), noop())', lambda: asyncio.gather(noop(), noop()))
    await measure('await wait([done future])', lambda: asyncio.wait([done_future()]))
    await measure('await wait_for(noop(), 1)', lambda: asyncio.wait_for(noop(), 1))
    await measure('await wait_for(done future, 1)', lambda: asyncio.wait_for(done_future(), 1))
    await measure('await wait_for(noop(), None)', lambda: asyncio.wait_for(noop(), None))
    await measure('await shield(done future)', lambda: asyncio.shield(done_future()))
    await measure('await shield(noop())', lambda: asyncio.shield(noop()))
    await measure('await ensure_future(noop())', lambda: asyncio.ensure_future(noop()))

    async def first_of_as_completed():
        for f in asyncio.as_completed([done_future()]):
            return await f

    await measure('as_completed([done future]) first', first_of_as_completed)


asyncio.run(main())
