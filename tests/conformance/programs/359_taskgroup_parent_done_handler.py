"""A TaskGroup child fails after its parent Task already finished (the group was abandoned un-exited): the loop's exception handler gets CPython's message."""
import re
def clean(s):
    s = re.sub(r' at 0x[0-9a-f]+', '', s)
    return re.sub(r'<\S+\.(\w+) object', r'<\1', s)

async def bad(ev):
    await ev.wait()
    raise ValueError('orphan')

async def parent(ev):
    tg = asyncio.TaskGroup()
    await tg.__aenter__()
    return tg.create_task(bad(ev), name='child')

def handler(loop, ctx):
    print('handler:', clean(ctx['message'].split(' coro=')[0]), '|', ctx['message'].split('parent task ')[1].split(' coro=')[0])
    print(sorted(ctx), repr(ctx['exception']))

async def main():
    asyncio.get_running_loop().set_exception_handler(handler)
    ev = asyncio.Event()
    p = asyncio.create_task(parent(ev), name='parent')
    child = await p
    ev.set()
    try:
        await child
    except ValueError as e:
        print('child failed', e)

asyncio.run(main())
