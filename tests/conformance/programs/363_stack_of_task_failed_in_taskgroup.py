"""get_stack() of a TaskGroup child that failed because a Future it awaited failed: the frames are the program's."""
async def waits(fut):
    await fut

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    try:
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(waits(fut))
            await asyncio.sleep(0)
            fut.set_exception(ValueError('from future'))
    except* ValueError:
        pass
    print([f.f_code.co_name for f in t.get_stack()])

asyncio.run(main())
