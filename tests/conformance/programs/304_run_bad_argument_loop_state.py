"""run(42) raises ValueError after making (and closing) its loop, as asyncio's Runner does:
afterwards get_event_loop() raises instead of making a new loop, and no Task was made.
"""
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
for bad in (42, None):
    try:
        asyncio.run(bad)
    except ValueError as exc:
        print("ValueError:", exc)
try:
    asyncio.get_event_loop()
except RuntimeError as exc:
    print("get_event_loop() after run(42):", exc)


async def main():
    return asyncio.current_task().get_name()

print("next Task's name:", asyncio.run(main()))

with asyncio.Runner() as runner:
    loop = runner.get_loop()
    print("Runner's loop is current:", asyncio.get_event_loop() is loop)
    print(runner.run(main()), runner.run(main()))
    try:
        runner.run(7)
    except ValueError as exc:
        print("Runner.run(7):", exc)
print("closed after the with block:", loop.is_closed())
coro = main()
try:
    runner.run(coro)
except RuntimeError as exc:
    print("RuntimeError:", exc)
coro.close()
