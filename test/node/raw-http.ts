// Raw HTTP/1.1 over node:net for hostile-input tests: the bytes are written as given, nothing is fixed up.
import { connect, type Socket } from 'node:net'

/** One response as read off the wire. */
export interface RawResponse {
  /** Everything the server sent, as latin1 text. */
  text: string
  /** The status code of the first response, when one arrived. */
  status: number | undefined
  /** The first response's header fields, names lower-cased. */
  headers: Record<string, string>
  /** The first response's body (de-chunked when chunked). */
  body: string
  /** Whether the server ended or reset the connection. */
  closedByServer: boolean
}

/**
 * Waits until `predicate()` holds, checking on every event-loop turn (and every few ms once the
 * loop is idle), and fails with `message` after `timeoutMs`. A condition wait, not a sleep.
 */
export async function until(
  predicate: () => boolean,
  { timeoutMs = 3000, message = 'condition' }: { timeoutMs?: number; message?: string } = {},
) {
  const deadline = Date.now() + timeoutMs
  for (let turn = 0; !predicate(); turn++) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${message}`)
    // setImmediate lets socket I/O run between checks; a short wait after many turns keeps an idle loop from spinning.
    await new Promise<void>((resolve) => (turn < 1000 ? setImmediate(resolve) : setTimeout(resolve, 2)))
  }
}

/** Parses the first response in `raw`; `complete` says whether all of it (head and body) is there. */
export function parseResponse(raw: Buffer, { head = false } = {}) {
  const end = raw.indexOf('\r\n\r\n')
  if (end < 0) return { complete: false, status: undefined, headers: {}, body: '' }
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]) || undefined
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const rest = raw.subarray(end + 4)
  if (head || status === 204 || status === 304) return { complete: true, status, headers, body: '' }
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    let offset = 0
    const parts: Buffer[] = []
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', offset)
      if (lineEnd < 0) return { complete: false, status, headers, body: '' }
      const size = Number.parseInt(rest.subarray(offset, lineEnd).toString('latin1'), 16)
      if (rest.length < lineEnd + 2 + size + 2) return { complete: false, status, headers, body: '' }
      if (size === 0) return { complete: true, status, headers, body: Buffer.concat(parts).toString('latin1') }
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size))
      offset = lineEnd + 2 + size + 2
    }
  }
  const length = headers['content-length']
  if (length === undefined) return { complete: false, status, headers, body: rest.toString('latin1') }
  return {
    complete: rest.length >= Number(length),
    status,
    headers,
    body: rest.subarray(0, Number(length)).toString('latin1'),
  }
}

/** Connects to 127.0.0.1:`port`; resolves once connected. */
export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Collects what `socket` receives; `closed` turns true when the server ends or resets it. */
export function collect(socket: Socket) {
  const state = { chunks: [] as Buffer[], closedByServer: false, closed: false }
  socket.on('data', (chunk: Buffer) => state.chunks.push(chunk))
  socket.on('end', () => {
    state.closedByServer = true
  })
  // A reset (or EPIPE while still writing) is the server closing too; it must not fail the test by itself.
  socket.on('error', () => {
    state.closedByServer = true
  })
  socket.on('close', () => {
    state.closed = true
  })
  return {
    state,
    raw: () => Buffer.concat(state.chunks),
  }
}

/**
 * Writes `bytes` on a fresh connection and reads until one whole response arrived or the server
 * closed the connection, then closes it. With `end`, the client half-closes after writing (so a
 * truncated request is not waited on). Fails after `timeoutMs`.
 */
export async function exchange(
  port: number,
  bytes: string | Buffer,
  { timeoutMs = 3000, head = false, end = false }: { timeoutMs?: number; head?: boolean; end?: boolean } = {},
): Promise<RawResponse> {
  const socket = await open(port)
  const seen = collect(socket)
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes
  if (end) socket.end(data)
  else socket.write(data)
  try {
    await until(() => seen.state.closed || parseResponse(seen.raw(), { head }).complete, {
      timeoutMs,
      message: `a response or a close for ${JSON.stringify(String(bytes).slice(0, 60))}`,
    })
  } finally {
    socket.destroy()
  }
  const raw = seen.raw()
  const parsed = parseResponse(raw, { head })
  return {
    text: raw.toString('latin1'),
    status: parsed.status,
    headers: parsed.headers,
    body: parsed.body,
    closedByServer: seen.state.closedByServer,
  }
}
