// A conversation's hints as Server-Sent Events, with a per-visitor cap and no buffering for slow readers.
import type { EventBus } from '../events'
import { refusal } from './http'

export interface StreamOptions {
  bus: EventBus
  heartbeatMs: number
  retryMs: number
  perVisitor: number
  /** Bytes that may wait for a slow reader; past that the stream is dropped (the browser reconnects with Last-Event-ID). */
  bufferBytes: number
}

const encoder = new TextEncoder()

/** Opens streams; counts them per visitor in this process. */
export function createStreams(options: StreamOptions) {
  const open = new Map<string, number>()
  /**
   * A `retry:` first, then one event per hint (`id:` for Last-Event-ID, `event:` its kind, `data:`
   * the conversation id and kind only), heartbeat comments, and the end after `closed`.
   */
  return function stream(request: Request, id: number, visitor: string): Response {
    const count = open.get(visitor) ?? 0
    if (count >= options.perVisitor) return refusal(429, 'Too many open event streams', { 'retry-after': '10' })
    open.set(visitor, count + 1)
    let finished = false
    let heartbeat: ReturnType<typeof setInterval> | undefined
    let unsubscribe: (() => void) | undefined
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined
    /** Ends the stream once, whoever ends it (a `closed` hint, the browser leaving, a slow reader). */
    const finish = () => {
      if (finished) return
      finished = true
      clearInterval(heartbeat)
      unsubscribe?.()
      const left = (open.get(visitor) ?? 1) - 1
      if (left > 0) open.set(visitor, left)
      else open.delete(visitor)
      try {
        controller?.close()
      } catch {}
    }
    const send = (text: string) => {
      if (finished || !controller) return
      // A reader this far behind is dropped, not buffered: it reconnects and replays from its last id.
      if ((controller.desiredSize ?? 0) < 0) return finish()
      try {
        controller.enqueue(encoder.encode(text))
      } catch {
        finish()
      }
    }
    const body = new ReadableStream<Uint8Array>(
      {
        async start(opened) {
          controller = opened
          request.signal?.addEventListener('abort', finish, { once: true })
          send(`retry: ${options.retryMs}\n\n`)
          const data = (conversationId: number, kind: string) => JSON.stringify({ conversationId, kind })
          const lastId =
            request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId') ?? undefined
          try {
            const stop = await options.bus.subscribe(
              id,
              (hint) => {
                send(`id: ${hint.id}\nevent: ${hint.kind}\ndata: ${data(hint.conversationId, hint.kind)}\n\n`)
                if (hint.kind === 'closed') finish()
              },
              // Only an id of ours is passed on: anything else would only be compared as text.
              lastId && /^[\w-]{1,64}$/.test(lastId) ? lastId : undefined,
            )
            if (finished) stop()
            else {
              unsubscribe = stop
              heartbeat = setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs)
            }
          } catch {
            finish()
          }
        },
        cancel: finish,
      },
      { highWaterMark: options.bufferBytes, size: (chunk) => chunk.byteLength },
    )
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    })
  }
}
