"""With a task factory installed, create_task(coro, context=ctx) calls factory(loop, coro, context=ctx); without context= the factory gets no context argument.
"""
import contextvars

var = contextvars.ContextVar('var', default='default')
calls = []


def factory(loop, coro, **kwargs):
    calls.append(sorted(kwargs))
    return asyncio.Task(coro, loop=loop, **kwargs)


async def show():
    return var.get()


async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(factory)
    ctx = contextvars.Context()
    ctx.run(var.set, 'in ctx')
    print(await asyncio.create_task(show(), context=ctx))
    print(await asyncio.create_task(show()))
    print(await loop.create_task(show(), name='named'))
    print('factory kwargs per call:', calls)


asyncio.run(main())
