"""Queue.join cancelled while waiting, then joined again; task_done too many times; Event waiters left behind."""
async def main():
    q = asyncio.Queue()
    q.put_nowait(1)
    j = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    print(str(q), repr(q._finished).split(' [')[1])
    j.cancel('stop')
    try:
        await j
    except asyncio.CancelledError as e:
        print('join cancelled', e.args)
    print('finished waiters', len(q._finished._waiters))
    q.get_nowait()
    j2 = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    q.task_done()
    print('j2 done?', j2.done())
    await j2
    print('j2 result', j2.result())
    try:
        q.task_done()
    except ValueError as e:
        print('ValueError', e)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        print('QueueEmpty', repr(e), type(e).__module__)
    q2 = asyncio.Queue(1); q2.put_nowait(0)
    try:
        q2.put_nowait(1)
    except asyncio.QueueFull as e:
        print('QueueFull', repr(e))

asyncio.run(main())
