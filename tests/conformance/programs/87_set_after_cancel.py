"""A cancelled Future rejects set_result/set_exception with InvalidStateError; set_result on a Task is refused with RuntimeError 'Task does not support set_result operation'.
"""


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.cancel()
    for action, arg in ((f.set_result, 1), (f.set_exception, ValueError())):
        try:
            action(arg)
        except asyncio.InvalidStateError as e:
            print(action.__name__, 'after cancel -> InvalidStateError:', e)
    t = asyncio.create_task(asyncio.sleep(0))
    for action, arg in ((t.set_result, 1), (t.set_exception, ValueError())):
        try:
            action(arg)
        except RuntimeError as e:
            print('Task.' + action.__name__, '-> RuntimeError:', e)
    await t


asyncio.run(main())
