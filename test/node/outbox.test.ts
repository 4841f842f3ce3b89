import { ChatApiError, type ConversationMessage, createMemoryStorage } from 'socialboards-chat-react'
import { createOutbox, type OutboxOptions } from 'socialboards-chat-react/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// Every rule of the outbox protocol, on the engine alone: fake time and a scripted client.

const author = { name: 'Ada', email: 'ada@example.com' }
const visitor = { id: '00000000-0000-4000-8000-00000000ada0', email: 'ada@example.com', isBot: false, status: 'client' }
const ID = 7

type Behaviour = (
  messages: { message: string; creationTime?: string | null }[],
  /** The request's `Idempotency-Key`, if any. */
  key?: string,
) => Promise<ConversationMessage[]>

/**
 * A Chat API stand-in: addMessages does what the script says next (else stores); listMessages lists.
 * With `keys`, it is the server half: a stored answer is replayed for its `Idempotency-Key` (an
 * HTTP 422 for the same key with another body), without running the script.
 */
function scriptedClient({ secondsOnly = false, offset = 0, keys = false } = {}) {
  const stored: ConversationMessage[] = []
  const calls: string[] = []
  /** The `Idempotency-Key` of each addMessages call, in order. */
  const sentKeys: (string | undefined)[] = []
  const answers = new Map<string, { body: string; result: ConversationMessage[] }>()
  const script: Behaviour[] = []
  let nextId = 100
  const store: Behaviour = async (messages, key) => {
    const result = messages.map((m) => {
      const time = Date.parse(m.creationTime ?? new Date().toISOString())
      const creationTime = new Date(secondsOnly ? Math.floor(time / 1000) * 1000 : time).toISOString()
      const message = { id: nextId++, author: visitor, message: m.message, creationTime }
      stored.push(message)
      return message
    })
    if (key) answers.set(key, { body: JSON.stringify(messages), result })
    return result
  }
  const client: OutboxOptions['client'] = {
    clock: { now: () => Date.now() + offset, offset, seed: () => {} },
    idempotencyKeys: keys,
    addMessages: (_id, messages, options) => {
      const key = options?.idempotencyKey
      calls.push(`add:${messages[0]?.message}`)
      sentKeys.push(key)
      const known = key === undefined ? undefined : answers.get(key)
      if (known)
        return known.body === JSON.stringify(messages)
          ? Promise.resolve(known.result)
          : Promise.reject(new ChatApiError('http', 'HTTP 422: the key was used with another body', { status: 422 }))
      return (script.shift() ?? store)(messages, key)
    },
    listMessages: async () => {
      calls.push('list')
      return [...stored].reverse()
    },
  }
  return { client, stored, calls, sentKeys, script, store }
}

const networkError = () => new ChatApiError('network', 'network error', { cause: new Error('ECONNRESET') })
/** The request is lost on the way back: the server stores it (now, or `lateMs` later), the caller hears nothing. */
const lostAnswer =
  (store: Behaviour, lateMs = 0): Behaviour =>
  async (messages, key) => {
    if (lateMs) setTimeout(() => store(messages, key), lateMs)
    else await store(messages, key)
    throw networkError()
  }
const refused: Behaviour = async () => {
  throw new ChatApiError('api', 'API error 1000: rejected', { errorCode: 1000, status: 200 })
}

let key = ''
let tests = 0
beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-26T12:00:00Z') })
  key = `outbox-${++tests}`
})
afterEach(() => {
  vi.useRealTimers()
})

const texts = (messages: ConversationMessage[]) => messages.map((m) => m.message)

function outbox(client: OutboxOptions['client'], extra: Partial<OutboxOptions> = {}) {
  const created = createOutbox({
    client,
    author,
    storage: createMemoryStorage(),
    key,
    retryDelay: 1000,
    recheckInterval: 2000,
    landingWindow: 30_000,
    ...extra,
  })
  created.setConversation(ID)
  return created
}

describe('outbox protocol', () => {
  it('an answer that lists none of what it stored (as the reference’s example does) is looked for, never sent again', async () => {
    const api = scriptedClient()
    // Stored, but the answer lists nothing back.
    api.script.push(async (messages, key) => {
      await api.store(messages, key)
      return []
    })
    const box = outbox(api.client)
    const sent = box.add('once')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(texts(api.stored)).toEqual(['once'])
    expect(api.calls.filter((call) => call.startsWith('add:'))).toEqual(['add:once'])
    expect(box.getSnapshot().entries.find((entry) => entry.localId === sent)?.sent?.id).toBe(api.stored[0]?.id)
  })

  it('a landed message the latest messages never show is left to the history after the landing window, not resent', async () => {
    const api = scriptedClient()
    api.script.push(async () => [])
    const box = outbox(api.client)
    box.add('lost from view')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(api.calls.filter((call) => call.startsWith('add:'))).toHaveLength(1)
    expect(box.getSnapshot().entries).toHaveLength(0)
  })

  it('sends in order, one at a time, and marks each sent with its server id', async () => {
    const api = scriptedClient()
    const box = outbox(api.client)
    box.add('one')
    box.add('two')
    await vi.advanceTimersByTimeAsync(0)
    expect(texts(api.stored)).toEqual(['one', 'two'])
    expect(box.getSnapshot().entries.map((e) => e.sent?.id)).toEqual([100, 101])
    box.acknowledge([100, 101])
    expect(box.getSnapshot().entries).toEqual([])
  })

  it('owns a stored message until the history it reads lists it, then lets it go by itself (no acknowledge)', async () => {
    const api = scriptedClient()
    const history = new Set<number>()
    const listeners = new Set<() => void>()
    const storage = createMemoryStorage()
    const box = outbox(api.client, {
      storage,
      listed: {
        has: (id) => history.has(id),
        subscribe: (listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
      },
    })
    box.add('one')
    await vi.advanceTimersByTimeAsync(0)
    expect(
      box.getSnapshot().entries.map((e) => e.sent?.id),
      'stored, not listed yet: still the outbox’s',
    ).toEqual([100])
    history.add(100)
    for (const listener of listeners) listener()
    expect(box.getSnapshot().entries, 'listed by the history: the outbox lets it go').toEqual([])
    expect(JSON.parse(storage.getItem(key) ?? '{}').entries).toEqual([])
  })

  it('records an attempt in storage before it leaves', async () => {
    const api = scriptedClient()
    const storage = createMemoryStorage()
    let seen: unknown
    api.script.push(async (messages) => {
      seen = JSON.parse(storage.getItem(key) ?? '{}').entries[0]
      return api.store(messages)
    })
    const box = outbox(api.client, { storage })
    box.add('hello')
    await vi.advanceTimersByTimeAsync(0)
    expect(seen).toMatchObject({ message: 'hello', leftAt: Date.now(), creationTime: expect.any(String) })
  })

  it('looks for a message before sending it again after an unknown fate, and finds it', async () => {
    const api = scriptedClient()
    api.script.push(lostAnswer(api.store))
    const box = outbox(api.client)
    box.add('hello')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(api.calls).toEqual(['add:hello', 'list'])
    expect(texts(api.stored)).toEqual(['hello'])
    expect(box.getSnapshot().entries[0]?.sent).toEqual({ id: 100 })
  })

  it('keeps looking until the landing window ends: a request that lands 5 s late is not sent twice', async () => {
    const api = scriptedClient()
    api.script.push(lostAnswer(api.store, 5000))
    const box = outbox(api.client)
    box.add('late')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(texts(api.stored)).toEqual(['late'])
    expect(api.calls.filter((c) => c.startsWith('add'))).toHaveLength(1)
    expect(box.getSnapshot().entries[0]?.sent).toBeDefined()
  })

  it('sends again once the window has passed and the server still does not show it', async () => {
    const api = scriptedClient()
    api.script.push(async () => {
      throw networkError()
    })
    const box = outbox(api.client)
    box.add('never landed')
    await vi.advanceTimersByTimeAsync(29_000)
    expect(api.calls.filter((c) => c.startsWith('add'))).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(3_000)
    expect(texts(api.stored)).toEqual(['never landed'])
    expect(api.calls.filter((c) => c.startsWith('add'))).toHaveLength(2)
  })

  it('sends again at once when the connection was refused: the request never left', async () => {
    const api = scriptedClient()
    api.script.push(async () => {
      throw new ChatApiError('network', 'network error (ECONNREFUSED)', { cause: new Error('ECONNREFUSED') })
    })
    const box = outbox(api.client)
    box.add('hello')
    await vi.advanceTimersByTimeAsync(1000)
    expect(api.calls).toEqual(['add:hello', 'add:hello'])
    expect(box.getSnapshot().entries[0]?.sent).toBeDefined()
  })

  it('marks a refused message failed, never resends it by itself, and sends the next', async () => {
    const api = scriptedClient()
    api.script.push(refused)
    const box = outbox(api.client)
    box.add('refused')
    box.add('fine')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(texts(api.stored)).toEqual(['fine'])
    expect(box.getSnapshot().entries[0]?.failed?.kind).toBe('api')
    const localId = box.getSnapshot().entries[0]?.localId as number
    box.retry(localId)
    await vi.advanceTimersByTimeAsync(0)
    expect(texts(api.stored)).toEqual(['fine', 'refused'])
  })

  it('waits as long as a 429 says, and sends without a recheck (nothing was stored)', async () => {
    const api = scriptedClient()
    api.script.push(async () => {
      throw new ChatApiError('http', 'HTTP 429', { status: 429, retryAfter: 10 })
    })
    const box = outbox(api.client)
    box.add('hello')
    await vi.advanceTimersByTimeAsync(9_900)
    expect(api.calls).toEqual(['add:hello'])
    await vi.advanceTimersByTimeAsync(200)
    expect(api.calls).toEqual(['add:hello', 'add:hello'])
  })

  it('recognises its message when the server keeps whole seconds', async () => {
    vi.setSystemTime(Date.parse('2026-11-26T12:00:00.750Z'))
    const api = scriptedClient({ secondsOnly: true })
    api.script.push(lostAnswer(api.store))
    const box = outbox(api.client)
    box.add('rounded')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(texts(api.stored)).toEqual(['rounded'])
  })

  it('lets one stored message answer for one entry only: the same text twice is sent twice', async () => {
    const api = scriptedClient()
    api.script.push(api.store, async () => {
      throw networkError()
    })
    const box = outbox(api.client)
    box.add('ok')
    box.add('ok')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(texts(api.stored)).toEqual(['ok', 'ok'])
  })

  it('does not take a message from someone else for its own', async () => {
    const api = scriptedClient()
    api.stored.push({
      id: 1,
      author: { ...visitor, id: 'ffffffff-0000-4000-8000-000000000000', email: 'other@example.com' },
      message: 'hello',
      creationTime: new Date().toISOString(),
    })
    api.script.push(async () => {
      throw networkError()
    })
    const box = outbox(api.client)
    box.add('hello')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(texts(api.stored)).toEqual(['hello', 'hello'])
  })

  it('a reload mid-send looks for the message first, in the next outbox on the same storage', async () => {
    const api = scriptedClient()
    const storage = createMemoryStorage()
    let landed: () => void = () => {}
    api.script.push(
      (messages) =>
        new Promise(() => {
          landed = () => api.store(messages)
        }),
    )
    const first = outbox(api.client, { storage })
    first.add('across a reload')
    await vi.advanceTimersByTimeAsync(0)
    first.destroy() // the page goes away; its request is still in flight
    landed()
    const second = outbox(api.client, { storage })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(texts(api.stored)).toEqual(['across a reload'])
    expect(api.calls).toEqual(['add:across a reload', 'list'])
    expect(second.getSnapshot().entries[0]?.sent).toBeDefined()
  })

  it('two outboxes on one storage (two tabs) send each message once', async () => {
    const api = scriptedClient()
    const storage = createMemoryStorage()
    const one = outbox(api.client, { storage })
    const two = outbox(api.client, { storage })
    one.add('from one')
    two.add('from two')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(texts(api.stored)).toEqual(['from one', 'from two'])
  })

  it('a tab that sees the other tab’s writes late neither sends its message again nor shows it unsent', async () => {
    // Two views of one storage: a write reaches the other tab 200 ms later, as a browser may show it.
    const api = scriptedClient()
    const views = [new Map<string, string>(), new Map<string, string>()] as const
    const view = (mine: Map<string, string>, theirs: Map<string, string>) => ({
      getItem: (name: string) => mine.get(name) ?? null,
      setItem: (name: string, value: string) => {
        mine.set(name, value)
        setTimeout(() => theirs.set(name, value), 200)
      },
      removeItem: (name: string) => {
        mine.delete(name)
        setTimeout(() => theirs.delete(name), 200)
      },
    })
    const one = outbox(api.client, { storage: view(views[0], views[1]) })
    one.setConversation(undefined) // written while the conversation is being created
    one.add('once')
    await vi.advanceTimersByTimeAsync(150)
    one.setConversation(ID)
    await vi.advanceTimersByTimeAsync(100) // sent; the other tab has only the entry as first written
    expect(api.stored).toHaveLength(1)
    // The other tab opens while its view still shows the message unsent.
    const two = outbox(api.client, { storage: view(views[1], views[0]) })
    expect(two.getSnapshot().entries[0]?.sent).toBeUndefined()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(api.calls.filter((call) => call.startsWith('add:'))).toEqual(['add:once'])
    expect(two.getSnapshot().entries[0]?.sent?.id).toBe(api.stored[0]?.id)
  })

  it('a tab sends its next message at once, without waiting out the hold on the lock', async () => {
    const api = scriptedClient()
    const box = outbox(api.client)
    box.add('first')
    await vi.advanceTimersByTimeAsync(0)
    box.add('second')
    await vi.advanceTimersByTimeAsync(0)
    expect(texts(api.stored)).toEqual(['first', 'second'])
  })

  it('stamps in server time, never earlier than the previous stamp', async () => {
    const api = scriptedClient({ offset: -120_000 })
    const box = outbox(api.client)
    box.add('a')
    box.add('b')
    await vi.advanceTimersByTimeAsync(0)
    const [a, b] = api.stored.map((m) => Date.parse(m.creationTime))
    expect(a).toBe(Date.now() - 120_000)
    expect(b).toBeGreaterThan(a as number)
  })

  it('never throws and never loses a message when storage refuses to save it', async () => {
    const api = scriptedClient()
    const storage = createMemoryStorage()
    const full = {
      ...storage,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError')
      },
    }
    const box = outbox(api.client, { storage: full })
    expect(() => box.add('x'.repeat(3_000_000))).not.toThrow()
    expect(box.getSnapshot().persistError?.name).toBe('QuotaExceededError')
    expect(box.getSnapshot().entries).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(api.stored).toHaveLength(1)
  })

  it('holds everything while offline, and sends when the network is back', async () => {
    const api = scriptedClient()
    let isOnline = false
    let listener: (online: boolean) => void = () => {}
    const box = outbox(api.client, {
      online: {
        isOnline: () => isOnline,
        subscribe: (next) => {
          listener = next
          return () => {}
        },
      },
    })
    box.add('offline')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(api.calls).toEqual([])
    isOnline = true
    listener(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(texts(api.stored)).toEqual(['offline'])
  })

  it('keeps unsent messages, failed with the reason, when the conversation is gone', () => {
    const api = scriptedClient()
    const box = outbox(api.client)
    box.setConversation(undefined)
    box.add('waiting')
    box.abandon('The conversation no longer exists')
    expect(box.getSnapshot().entries).toMatchObject([
      { message: 'waiting', failed: { kind: 'ended', message: 'The conversation no longer exists' } },
    ])
  })
})

describe('outbox in manual mode (useAddMessages): nothing is sent again by itself', () => {
  const serverError = () => new ChatApiError('http', 'HTTP 500', { status: 500 })

  it('shows an unknown fate as failed at once, with the error, and sends nothing more by itself', async () => {
    const api = scriptedClient()
    api.script.push(async () => {
      throw serverError()
    })
    const box = outbox(api.client, { resend: 'manual' })
    box.add('are you there?')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(api.calls).toEqual(['add:are you there?'])
    expect(box.getSnapshot().entries).toMatchObject([{ failed: { kind: 'http', status: 500 } }])
  })

  it('on retry looks first, and does not send again a message that had landed', async () => {
    const api = scriptedClient()
    api.script.push(lostAnswer(api.store))
    const box = outbox(api.client, { resend: 'manual' })
    const localId = box.add('landed anyway')
    await vi.advanceTimersByTimeAsync(0)
    expect(box.getSnapshot().entries[0]?.failed?.kind).toBe('network')
    box.retry(localId)
    await vi.advanceTimersByTimeAsync(0)
    expect(texts(api.stored)).toEqual(['landed anyway'])
    expect(api.calls).toEqual(['add:landed anyway', 'list'])
    expect(box.getSnapshot().entries[0]?.sent?.id).toBe(100)
  })

  it('on retry after a gateway timeout sends again only once the landing window has passed without it', async () => {
    const api = scriptedClient()
    api.script.push(async () => {
      throw new ChatApiError('http', 'HTTP 504', { status: 504 })
    })
    const box = outbox(api.client, { resend: 'manual' })
    const localId = box.add('lost')
    await vi.advanceTimersByTimeAsync(0)
    box.retry(localId)
    await vi.advanceTimersByTimeAsync(29_000)
    expect(api.stored).toEqual([])
    await vi.advanceTimersByTimeAsync(2_000)
    expect(texts(api.stored)).toEqual(['lost'])
  })

  it('on retry after a 500 (the server answered: it is over) looks once, then sends at once', async () => {
    const api = scriptedClient()
    api.script.push(async () => {
      throw serverError()
    })
    const box = outbox(api.client, { resend: 'manual' })
    const localId = box.add('after a 500')
    await vi.advanceTimersByTimeAsync(0)
    box.retry(localId)
    await vi.advanceTimersByTimeAsync(0)
    expect(api.calls).toEqual(['add:after a 500', 'list', 'add:after a 500'])
    expect(texts(api.stored)).toEqual(['after a 500'])
  })

  it('a refused message is sent at once on retry (it was never stored)', async () => {
    const api = scriptedClient()
    api.script.push(refused)
    const box = outbox(api.client, { resend: 'manual' })
    const localId = box.add('again')
    await vi.advanceTimersByTimeAsync(0)
    box.retry(localId)
    await vi.advanceTimersByTimeAsync(0)
    expect(api.calls).toEqual(['add:again', 'add:again'])
  })
})

describe('outbox entries with their own author', () => {
  it('sends a message input as given: its author, isByTeam and creationTime', async () => {
    const api = scriptedClient()
    const sent: unknown[] = []
    api.script.push(async (messages) => {
      sent.push(...messages)
      return api.store(messages)
    })
    const box = outbox(api.client)
    const other = { email: 'agent@example.com' }
    box.add({ message: 'imported', author: other, isByTeam: true, creationTime: '2026-11-20T10:00:00.000Z' })
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toEqual([
      { message: 'imported', author: other, isByTeam: true, creationTime: '2026-11-20T10:00:00.000Z' },
    ])
  })

  it('fails at once without a conversation when told to, instead of waiting', async () => {
    const api = scriptedClient()
    const box = outbox(api.client, { withoutConversation: 'fail' })
    box.setConversation(undefined)
    box.add('nowhere')
    await vi.advanceTimersByTimeAsync(0)
    expect(api.calls).toEqual([])
    expect(box.getSnapshot().entries).toMatchObject([{ failed: { kind: 'validation', issues: [{ path: 'id' }] } }])
  })
})

describe('outbox behind the server half (idempotency keys): a lost answer is sent again at once, with its key', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

  it('sends no key while the client sends none (the look-before-resend protocol is unchanged)', async () => {
    const api = scriptedClient()
    api.script.push(lostAnswer(api.store))
    const box = outbox(api.client)
    box.add('hello')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(api.sentKeys).toEqual([undefined])
    expect(api.calls).toEqual(['add:hello', 'list'])
  })

  it('stores a message whose answer was lost once: the same key and body again after 1 s, no look, no 30 s wait', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(lostAnswer(api.store))
    const bodies: string[] = []
    const addMessages = api.client.addMessages
    api.client.addMessages = (id, messages, options) => {
      bodies.push(JSON.stringify(messages))
      return addMessages(id, messages, options)
    }
    const box = outbox(api.client)
    box.add('only once')
    await vi.advanceTimersByTimeAsync(999)
    expect(api.calls).toEqual(['add:only once'])
    expect(box.getSnapshot().entries[0]?.sent).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(api.calls).toEqual(['add:only once', 'add:only once'])
    expect(texts(api.stored)).toEqual(['only once'])
    expect(box.getSnapshot().entries[0]?.sent).toEqual({ id: 100 })
    expect(api.sentKeys[0]).toMatch(uuid)
    expect(api.sentKeys[1]).toBe(api.sentKeys[0])
    expect(bodies[1]).toBe(bodies[0])
  })

  it('keeps the key through a back-off of 1 s, 2 s, 4 s while the fate stays unknown', async () => {
    const api = scriptedClient({ keys: true })
    const lost = async () => {
      throw networkError()
    }
    api.script.push(lost, lost, lost)
    const at: number[] = []
    const addMessages = api.client.addMessages
    api.client.addMessages = (id, messages, options) => {
      at.push(Date.now())
      return addMessages(id, messages, options)
    }
    const start = Date.now()
    const box = outbox(api.client)
    box.add('patience')
    await vi.advanceTimersByTimeAsync(7_000)
    expect(at.map((time) => time - start)).toEqual([0, 1000, 3000, 7000])
    expect(new Set(api.sentKeys).size).toBe(1)
    expect(texts(api.stored)).toEqual(['patience'])
    expect(api.calls).not.toContain('list')
  })

  it('keeps the key in storage: a reload resends at once with it, and the server replays', async () => {
    const api = scriptedClient({ keys: true })
    const storage = createMemoryStorage()
    let land: () => void = () => {}
    api.script.push(
      (messages, key) =>
        new Promise(() => {
          land = () => api.store(messages, key)
        }),
    )
    const first = outbox(api.client, { storage })
    first.add('across a reload')
    await vi.advanceTimersByTimeAsync(0)
    expect(JSON.parse(storage.getItem(key) ?? '{}').entries[0].idempotencyKey).toBe(api.sentKeys[0])
    first.destroy() // the page goes away; its request is still in flight, and lands
    land()
    const second = outbox(api.client, { storage })
    await vi.advanceTimersByTimeAsync(0)
    expect(api.calls).toEqual(['add:across a reload', 'add:across a reload'])
    expect(api.sentKeys[1]).toBe(api.sentKeys[0])
    expect(texts(api.stored)).toEqual(['across a reload'])
    expect(second.getSnapshot().entries[0]?.sent).toBeDefined()
  })

  it('looks first when the attempt is older than the landing window (the server may have forgotten its key)', async () => {
    const api = scriptedClient({ keys: true })
    const storage = createMemoryStorage()
    api.script.push(lostAnswer(api.store))
    const first = outbox(api.client, { storage, resend: 'manual' })
    first.add('long ago')
    await vi.advanceTimersByTimeAsync(0)
    first.destroy()
    vi.setSystemTime(Date.now() + 60 * 60_000) // an hour later
    const localId = JSON.parse(storage.getItem(key) ?? '{}').entries[0].localId
    const second = outbox(api.client, { storage })
    second.retry(localId)
    await vi.advanceTimersByTimeAsync(0)
    expect(api.calls).toEqual(['add:long ago', 'list'])
    expect(texts(api.stored)).toEqual(['long ago'])
  })

  it('uses a new key when the visitor retries a refused message: that is a new write', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(refused)
    const box = outbox(api.client)
    const localId = box.add('refused first')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(box.getSnapshot().entries[0]?.failed?.kind).toBe('api')
    box.retry(localId)
    await vi.advanceTimersByTimeAsync(0)
    expect(texts(api.stored)).toEqual(['refused first'])
    expect(api.sentKeys).toHaveLength(2)
    expect(api.sentKeys[1]).toMatch(uuid)
    expect(api.sentKeys[1]).not.toBe(api.sentKeys[0])
  })

  it('shows a 422 (the key reused with another body) as failed, and does not send it again by itself', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(async () => {
      throw new ChatApiError('http', 'HTTP 422', { status: 422 })
    })
    const box = outbox(api.client)
    box.add('mismatch')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(api.calls).toEqual(['add:mismatch'])
    expect(box.getSnapshot().entries).toMatchObject([{ failed: { kind: 'http', status: 422 } }])
  })

  it('after the server answered with a 500 (its answer is what the key replays), looks once and sends with a new key', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(async () => {
      throw new ChatApiError('http', 'HTTP 500', { status: 500 })
    })
    const box = outbox(api.client)
    box.add('after a 500')
    await vi.advanceTimersByTimeAsync(1000)
    expect(api.calls).toEqual(['add:after a 500', 'list', 'add:after a 500'])
    expect(api.sentKeys[1]).not.toBe(api.sentKeys[0])
    expect(texts(api.stored)).toEqual(['after a 500'])
  })

  it('a 502 answer spends the key (the server half replays it): looked for, found, never sent twice', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(async (messages) => {
      await api.store(messages) // stored upstream; the handler lost the Chat API's answer, and keeps its 502
      throw new ChatApiError('http', 'HTTP 502', { status: 502 })
    })
    const box = outbox(api.client)
    box.add('behind a 502')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(api.calls).toEqual(['add:behind a 502', 'list'])
    expect(texts(api.stored)).toEqual(['behind a 502'])
    expect(box.getSnapshot().entries[0]?.idempotencyKey).toBeUndefined()
  })

  it('after a 502 that did not land, sends again only once the landing window has passed, with a new key', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(async () => {
      throw new ChatApiError('http', 'HTTP 502', { status: 502 })
    })
    const box = outbox(api.client)
    box.add('not stored')
    await vi.advanceTimersByTimeAsync(29_000)
    expect(api.calls.filter((c) => c.startsWith('add'))).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(3_000)
    expect(texts(api.stored)).toEqual(['not stored'])
    expect(api.sentKeys).toHaveLength(2)
    expect(api.sentKeys[1]).toMatch(uuid)
    expect(api.sentKeys[1]).not.toBe(api.sentKeys[0])
  })

  it('a 409 (the same key still in progress there) is not a refusal: the key goes again as Retry-After says', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(async () => {
      throw new ChatApiError('http', 'HTTP 409', { status: 409, retryAfter: 2 })
    })
    const box = outbox(api.client)
    box.add('in progress')
    await vi.advanceTimersByTimeAsync(1_999)
    expect(api.calls).toEqual(['add:in progress'])
    expect(box.getSnapshot().entries[0]?.failed).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(api.calls).toEqual(['add:in progress', 'add:in progress'])
    expect(api.sentKeys[1]).toBe(api.sentKeys[0])
    expect(texts(api.stored)).toEqual(['in progress'])
  })

  it('a success that does not list the message spends the key too: it is looked for, not sent again and again', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(async (messages) => {
      await api.store(messages)
      return [] // an answer the outbox cannot read its id from; the same key would get it again
    })
    const box = outbox(api.client)
    box.add('odd answer')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(api.calls).toEqual(['add:odd answer', 'list'])
    expect(texts(api.stored)).toEqual(['odd answer'])
    expect(box.getSnapshot().entries[0]?.sent).toEqual({ id: 100 })
  })

  it('without keys a 409 is still a refusal', async () => {
    const api = scriptedClient()
    api.script.push(async () => {
      throw new ChatApiError('http', 'HTTP 409', { status: 409 })
    })
    const box = outbox(api.client)
    box.add('conflict')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(api.calls).toEqual(['add:conflict'])
    expect(box.getSnapshot().entries[0]?.failed?.status).toBe(409)
  })

  it('in manual mode shows a lost answer failed; the retry goes at once with the same key, no look', async () => {
    const api = scriptedClient({ keys: true })
    api.script.push(lostAnswer(api.store))
    const box = outbox(api.client, { resend: 'manual' })
    const localId = box.add('retried')
    await vi.advanceTimersByTimeAsync(0)
    expect(box.getSnapshot().entries[0]?.failed?.kind).toBe('network')
    box.retry(localId)
    await vi.advanceTimersByTimeAsync(0)
    expect(api.calls).toEqual(['add:retried', 'add:retried'])
    expect(api.sentKeys[1]).toBe(api.sentKeys[0])
    expect(texts(api.stored)).toEqual(['retried'])
  })
})
