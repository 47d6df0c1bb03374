"""A Future subclass whose cancel() names its parameter differently: Task.cancel passes the message positionally."""
class MyFut(asyncio.Future):
    def cancel(self, message=None):
        print('MyFut.cancel', message)
        return super().cancel(message)

async def main():
    loop = asyncio.get_running_loop()
    f = MyFut(loop=loop)
    async def w():
        await f
    t = asyncio.create_task(w())
    await asyncio.sleep(0)
    try:
        print('cancel ->', t.cancel('why'))
    except TypeError as e:
        print('TypeError', e)
    try:
        await t
    except asyncio.CancelledError as e:
        print('cancelled', e.args)

asyncio.run(main())
