"""A Future or Task whose exception was never retrieved reports it to the exception handler when it is garbage-collected.

Messages: 'Future exception was never retrieved' / 'Task exception was never retrieved'. A
retrieved exception, or a cancelled future, reports nothing.
"""
import gc


def handler(loop, context):
    kinds = sorted(k for k in context if k != 'source_traceback')
    print('handler:', context['message'], '| keys', kinds, '| exception',
          repr(context.get('exception')))


async def failing_task():
    raise ValueError('task boom')


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)

    fut = loop.create_future()
    fut.set_exception(RuntimeError('future boom'))
    del fut
    gc.collect()
    print('after dropping future')

    seen = loop.create_future()
    seen.set_exception(RuntimeError('seen'))
    seen.exception()
    del seen
    gc.collect()
    print('after dropping retrieved future (no report)')

    c = loop.create_future()
    c.cancel()
    del c
    gc.collect()
    print('after dropping cancelled future (no report)')

    t = asyncio.create_task(failing_task())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print('task done:', t.done())
    del t
    gc.collect()
    print('after dropping task')


asyncio.run(main())
