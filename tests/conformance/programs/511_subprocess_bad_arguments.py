"""subprocess_exec/subprocess_shell reject text mode, buffering and the wrong shell flag with ValueError; a missing program raises FileNotFoundError and leaves no fd behind.
"""
import os
import sys


async def main():
    loop = asyncio.get_running_loop()
    P = asyncio.SubprocessProtocol
    cases = [
        ('exec universal_newlines', loop.subprocess_exec(P, 'true', universal_newlines=True)),
        ('exec shell=True', loop.subprocess_exec(P, 'true', shell=True)),
        ('exec bufsize=1', loop.subprocess_exec(P, 'true', bufsize=1)),
        ('exec text=True', loop.subprocess_exec(P, 'true', text=True)),
        ('exec encoding', loop.subprocess_exec(P, 'true', encoding='utf-8')),
        ('exec errors', loop.subprocess_exec(P, 'true', errors='strict')),
        ('shell list', loop.subprocess_shell(P, ['true'])),
        ('shell universal_newlines', loop.subprocess_shell(P, 'true', universal_newlines=True)),
        ('shell shell=False', loop.subprocess_shell(P, 'true', shell=False)),
        ('shell bufsize=-1', loop.subprocess_shell(P, 'true', bufsize=-1)),
        ('create_subprocess_shell shell=False',
         asyncio.create_subprocess_shell('true', shell=False)),
        ('create_subprocess_exec text=True',
         asyncio.create_subprocess_exec('true', text=True)),
    ]
    for what, coro in cases:
        try:
            await coro
        except ValueError as exc:
            print(f'{what}: ValueError: {exc}')
    fds = len(os.listdir('/proc/self/fd'))
    try:
        await asyncio.create_subprocess_exec('/nonexistent/program', stdout=asyncio.subprocess.PIPE)
    except FileNotFoundError as exc:
        print('missing program: FileNotFoundError errno', exc.errno)
    print('no fd leaked:', len(os.listdir('/proc/self/fd')) == fds)
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'pass')
    print('then a good one:', await proc.wait())


asyncio.run(main())
