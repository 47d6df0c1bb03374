"""After asyncio.run() (which set and then cleared the current loop) get_event_loop() raises RuntimeError "There is no current event loop in thread 'MainThread'."
"""


async def main():
    return asyncio.get_event_loop() is asyncio.get_running_loop()


print('inside run, get_event_loop is the running loop:', asyncio.run(main()))
try:
    loop = asyncio.get_event_loop()
    print('got a loop', type(loop).__name__)
except RuntimeError as e:
    print('RuntimeError:', e)
