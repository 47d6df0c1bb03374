"""create_task does not run the coroutine: first steps run later, in creation order, once the creator yields.
"""


async def child(name):
    print('child', name, 'first step')
    await asyncio.sleep(0)
    print('child', name, 'second step')
    return name


async def main():
    a = asyncio.create_task(child('a'))
    b = asyncio.ensure_future(child('b'))
    c = asyncio.get_running_loop().create_task(child('c'))
    print('created; done?', a.done(), b.done(), c.done())
    print('main keeps running without yielding')
    await asyncio.sleep(0)
    print('main after sleep(0)')
    print('results', await a, await b, await c)


asyncio.run(main())
