"""asyncio.Task(coro, ...) constructed directly: scheduled on the running loop, name= and context= honoured, a non-coroutine refused with TypeError.
"""
import contextvars

var = contextvars.ContextVar('var', default='default')


async def show(tag):
    return f'{tag}: {var.get()} in {asyncio.current_task().get_name()}'


async def main():
    t = asyncio.Task(show('plain'))
    print(await t)
    ctx = contextvars.Context()
    ctx.run(var.set, 'ctx value')
    t2 = asyncio.Task(show('with context'), name='direct', context=ctx)
    print(await t2)
    try:
        asyncio.Task(42)
    except TypeError as e:
        print('TypeError:', e)


asyncio.run(main())
