"""The CancelledError chained as __cause__ of timeout()'s TimeoutError: the frames of its traceback (what a printed traceback shows under "direct cause")."""
import traceback

async def slow():
    await asyncio.sleep(1)

async def main():
    try:
        async with asyncio.timeout(0.001):
            await slow()
    except TimeoutError as e:
        print([f.name for f in traceback.extract_tb(e.__traceback__)])
        print([f.name for f in traceback.extract_tb(e.__cause__.__traceback__)])

asyncio.run(main())
