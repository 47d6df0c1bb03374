"""create_task(coro, context=ctx) (3.11) runs the task in exactly that Context, so its changes are visible in ctx afterwards.
"""
import contextvars

var = contextvars.ContextVar('var', default='default')


async def child():
    print('child sees', var.get())
    var.set('set-by-child')


async def main():
    ctx = contextvars.copy_context()
    ctx.run(var.set, 'prepared')
    await asyncio.create_task(child(), context=ctx)
    print('ctx now holds', ctx[var])
    print('main sees', var.get())
    await asyncio.get_running_loop().create_task(child(), context=ctx)
    print('via loop.create_task, ctx holds', ctx[var])


asyncio.run(main())
