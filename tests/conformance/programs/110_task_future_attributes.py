"""User code can hang its own attributes on Tasks and Futures (asyncio's C Task/Future have a __dict__), e.g. to tag tasks.
"""


async def job():
    return asyncio.current_task().tag


async def main():
    t = asyncio.create_task(job())
    t.tag = 'important'
    print('task tag:', await t)
    f = asyncio.get_running_loop().create_future()
    f.note = {'retries': 2}
    f.set_result(None)
    print('future note:', f.note)


asyncio.run(main())
