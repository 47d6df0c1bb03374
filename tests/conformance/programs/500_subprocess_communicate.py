"""create_subprocess_exec with three pipes: returncode None while the child runs, communicate() feeds stdin and reads stdout and stderr, returns bytes, and sets returncode.
"""
import sys

CHILD = ("import sys\n"
         "data = sys.stdin.buffer.read()\n"
         "sys.stdout.buffer.write(data.upper())\n"
         "sys.stderr.write('read %d bytes' % len(data))\n"
         "sys.exit(3)\n")


async def main():
    PIPE = asyncio.subprocess.PIPE
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', CHILD,
                                                stdin=PIPE, stdout=PIPE, stderr=PIPE)
    print('streams:', type(proc.stdin).__name__, type(proc.stdout).__name__,
          type(proc.stderr).__name__)
    print('returncode while running:', proc.returncode)
    out, err = await proc.communicate(b'hello child')
    print('stdout:', out)
    print('stderr:', err)
    print('returncode:', proc.returncode, 'wait() again:', await proc.wait())
    # communicate() without input and without pipes: (None, None)
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'pass')
    print('no pipes:', proc.stdin, proc.stdout, proc.stderr, await proc.communicate())
    print('returncode:', proc.returncode)


asyncio.run(main())
