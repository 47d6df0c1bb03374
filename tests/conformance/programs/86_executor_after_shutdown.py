"""run_in_executor after shutdown_default_executor raises RuntimeError 'Executor shutdown has been called'.
"""


async def main():
    loop = asyncio.get_running_loop()
    print(await loop.run_in_executor(None, sum, [1, 2, 3]))
    await loop.shutdown_default_executor()
    try:
        loop.run_in_executor(None, sum, [1])
    except RuntimeError as e:
        print('RuntimeError:', e)


asyncio.run(main())
