"""TaskGroup misuse: create_task before entering, after the group finished, while it is shutting down; entering twice; a group outside a Task. (The refused coroutines are closed by the program: 3.11 leaves them 'never awaited'.)
"""


async def nothing():
    pass


def refused(tg):
    coro = nothing()
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        print(str(e))
    finally:
        coro.close()


async def failing():
    raise ValueError('boom')


async def main():
    tg = asyncio.TaskGroup()
    refused(tg)
    async with tg:
        tg.create_task(nothing())
    refused(tg)
    try:
        async with tg:
            pass
    except RuntimeError as e:
        print(e)
    try:
        async with asyncio.TaskGroup() as tg2:
            tg2.create_task(failing())
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                refused(tg2)
                raise
    except ExceptionGroup as eg:
        print(eg)
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def from_callback():
        try:
            asyncio.TaskGroup().__aenter__().send(None)
        except RuntimeError as e:
            print(e)
        done.set_result(None)

    loop.call_soon(from_callback)
    await done


asyncio.run(main())
