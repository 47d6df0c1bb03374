"""A leftover task that raises while asyncio.run cancels it at shutdown is reported to the exception handler ('unhandled exception during asyncio.run() shutdown').
"""


def handler(loop, context):
    print('handler:', context['message'], '|', repr(context.get('exception')),
          '| task name:', context['task'].get_name() if 'task' in context else None)


async def messy():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        raise OSError('cleanup failed')


async def main():
    asyncio.get_running_loop().set_exception_handler(handler)
    asyncio.create_task(messy(), name='messy')
    await asyncio.sleep(0)
    print('main returns')


asyncio.run(main())
print('run() returned normally')
