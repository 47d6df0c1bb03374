"""TaskGroup: the block waits for every child; create_task names and returns Tasks; the group's repr through its states; children finish in timer order.
"""


async def child(name, delay, log):
    await asyncio.sleep(delay)
    log.append(name)
    return name.upper()


async def main():
    log = []
    tg = asyncio.TaskGroup()
    print('fresh:', repr(tg))
    async with tg as entered:
        print('enter returns the group:', entered is tg, repr(tg))
        a = tg.create_task(child('a', 0.02, log), name='child-a')
        b = tg.create_task(child('b', 0.01, log))
        print('with children:', repr(tg), a.get_name(), b.get_name().startswith('Task-'))
        log.append('body done')
    print('after:', repr(tg), log, a.result(), b.result())

    async with asyncio.TaskGroup() as empty:
        pass
    print('empty group:', repr(empty))
    async with asyncio.TaskGroup() as tg2:
        t = tg2.create_task(child('late', 0, log))
        tg2.create_task(child('spawner', 0, log))
    print(log[-2:], t.done())


asyncio.run(main())
