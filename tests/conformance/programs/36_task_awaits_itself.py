"""A task awaiting itself gets RuntimeError 'Task cannot await on itself: <Task ...>' thrown in, and can go on.

The message embeds the task's repr. The repr's cb=[...] part names loop internals (the
run_until_complete callback and its file), so it is stripped before printing; the rest (state,
name, coroutine and where it is suspended in this program) is what a user sees.
"""
import re


def strip_internals(text):
    text = re.sub(r' cb=\[[^\]]*\]', '', text)
    return re.sub(r' at 0x[0-9a-f]+', '', text)


async def main():
    me = asyncio.current_task()
    try:
        await me
    except RuntimeError as e:
        print('RuntimeError:', strip_internals(str(e)))
    print('task still running fine:', not me.done())

    async def child():
        try:
            await asyncio.current_task()
        except RuntimeError as e:
            return strip_internals(str(e))

    print('child got:', await asyncio.create_task(child(), name='selfish'))


asyncio.run(main())
