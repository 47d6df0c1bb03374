"""When the main task is cancelled, asyncio.run raises CancelledError (printed by the runner) after cleaning up.
"""


async def main():
    try:
        asyncio.current_task().cancel('main cancelled itself')
        await asyncio.sleep(1)
    finally:
        print('main finally runs')


try:
    asyncio.run(main())
except asyncio.CancelledError as e:
    print('run raised CancelledError, args', e.args)
asyncio.run(main())
