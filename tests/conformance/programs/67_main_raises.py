"""An exception escaping main() propagates out of asyncio.run unchanged (the runner prints 'ValueError: ...' and exits 1); pending tasks are cancelled first.
"""


async def bystander():
    try:
        await asyncio.sleep(10)
    finally:
        print('bystander cleaned up before run() re-raised')


async def main():
    asyncio.create_task(bystander())
    await asyncio.sleep(0)
    raise ValueError('main failed on purpose')


asyncio.run(main())
print('not reached')
