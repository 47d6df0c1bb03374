"""A pending Task that is garbage-collected is reported to the exception handler: 'Task was destroyed but it is pending!', with the task in the context.
"""
import gc


def handler(loop, context):
    task = context.get('task')
    print('handler:', context['message'], '| keys', sorted(k for k in context if k != 'source_traceback'),
          '| task name', task.get_name() if task else None)


async def forever(fut):
    await fut


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    fut = loop.create_future()
    asyncio.create_task(forever(fut), name='orphan')
    await asyncio.sleep(0)
    del fut  # the only references to the task were the future's callbacks
    gc.collect()
    print('after gc')


asyncio.run(main())
