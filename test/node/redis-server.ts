// A real redis-server for a test file: on a free loopback port, no persistence, stopped by its PID.
import { type ChildProcess, spawn } from 'node:child_process'
import { type AddressInfo, connect, createServer } from 'node:net'

/** A running redis-server the test owns. */
export interface RedisServer {
  port: number
  /** `redis://127.0.0.1:{port}` */
  url: string
  /** Its process id now (a restart gives a new one). */
  readonly pid: number | undefined
  /** Kills it with `signal` (SIGKILL: no chance to save, like a crash) and waits until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Starts it again on the same port, empty (no persistence), and waits until it answers PING. */
  restart(): Promise<void>
  /** Stops it (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>
}

/** A port nothing listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

/** Whether something on `port` answers a Redis PING with PONG. */
const pong = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.once('error', () => resolve(false))
  })

/** Polls `condition` every 20 ms until it holds, or throws after `timeout` ms. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeout = 15_000) {
  const deadline = Date.now() + timeout
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Starts redis-server on a free loopback port and resolves once it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const exited = (process: ChildProcess) =>
    process.exitCode !== null || process.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => process.once('exit', () => resolve()))
  const start = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    child = started
    let failed: Error | undefined
    started.once('error', (error) => {
      failed = error
    })
    await waitFor(async () => {
      if (failed) throw failed
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`)
      return pong(port)
    }, `redis-server on port ${port}`)
  }
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = child
    if (!running) return
    child = undefined
    if (running.exitCode === null && running.signalCode === null) running.kill(signal)
    await exited(running)
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid
    },
    kill,
    restart: start,
    stop: () => kill('SIGTERM'),
  }
}
