"""TaskGroup.create_task with a non-coroutine, a name that is not a str, and a context.

(Default Task-N names are printed only as "Task-N": 3.13 stopped taking a number from the
counter for a Task created with a name, so the numbers after one differ from 3.11's.)
"""
import contextvars
var = contextvars.ContextVar('var', default='unset')

import re


async def show():
    return var.get(), re.sub(r"^Task-\d+$", "Task-N", asyncio.current_task().get_name())

async def main():
    async with asyncio.TaskGroup() as tg:
        try:
            tg.create_task(42)
        except TypeError as e:
            print('TypeError', e)
        print(repr(tg))
        ctx = contextvars.copy_context()
        ctx.run(var.set, 'in ctx')
        a = tg.create_task(show(), context=ctx)
        b = tg.create_task(show(), name=123)
        c = tg.create_task(show())
    print(a.result(), b.result(), c.result(), asyncio.current_task().get_name())
    d = asyncio.create_task(show(), name=None)
    print(await d)

asyncio.run(main())
