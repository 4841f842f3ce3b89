import type { Conversation, ConversationMessage } from 'socialboards-chat-react/core'
import { describe, expect, it } from 'vitest'
import { EMPTY_HISTORY, mergeHistory, messageView } from '../../src/core/chat-session/history'
import {
  type Asked,
  askFor,
  INITIAL_MODEL,
  isCurrent,
  resumeEnding,
  type SessionEvent,
  type SessionModel,
  transition,
} from '../../src/core/chat-session/model'
import { pollDelay } from '../../src/core/chat-session/polling'
import { stateOf } from '../../src/core/chat-session/status'
import type { OutboxEntry } from '../../src/core/outbox'

// The session model alone: pure transitions, no I/O, no time.

const visitor = { id: 'v-1', email: 'ada@example.com', isBot: false, status: 'client' }
const agent = { id: 'a-1', email: 'anna@example.com', isBot: false, status: 'team' }

function conversation(id: number, change: Partial<Conversation> = {}): Conversation {
  return {
    id,
    author: visitor,
    creationTime: '2026-01-01T00:00:00.000Z',
    isClosed: false,
    totalMessagesCount: 0,
    queuePositionInfo: { position: 2, waitTime: 3 },
    ...change,
  } as Conversation
}
const message = (id: number, second: number, author = agent): ConversationMessage =>
  ({
    id,
    author,
    message: `m${id}`,
    creationTime: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
  }) as ConversationMessage

const run = (events: SessionEvent[], from: SessionModel = INITIAL_MODEL) => events.reduce(transition, from)
const status = (model: SessionModel) => stateOf(model, model.history.list, null).status
const holding = (id: number, extra: Partial<SessionEvent> = {}): SessionEvent =>
  ({ type: 'held', stored: { conversationId: id, isBotEnabled: false }, seen: undefined, ...extra }) as SessionEvent
const asked = (model: SessionModel) => askFor(model) as Asked

describe('the session model', () => {
  it('derives the status from each transition (table)', () => {
    const a = run([holding(1)])
    const rows: [string, SessionModel, string][] = [
      ['nothing held', INITIAL_MODEL, 'idle'],
      ['a start began', run([{ type: 'start began' }]), 'starting'],
      [
        'a start failed',
        run([{ type: 'start began' }, { type: 'start ended', error: new Error('503') as never }]),
        'error',
      ],
      ['held, not read yet', a, 'resuming'],
      [
        'read failed before any read',
        transition(a, { type: 'read failed', asked: asked(a), error: new Error('x') as never }),
        'error',
      ],
      ['read, queued', transition(a, { type: 'read', asked: asked(a), conversation: conversation(1) }), 'queued'],
      [
        'read, with an agent',
        transition(a, {
          type: 'read',
          asked: asked(a),
          conversation: conversation(1, { queuePositionInfo: { position: -1, waitTime: null } }),
        }),
        'with-agent',
      ],
      [
        'read, closed',
        transition(a, { type: 'read', asked: asked(a), conversation: conversation(1, { isClosed: true }) }),
        'closed',
      ],
      ['reset', run([{ type: 'forgotten', reason: null }], a), 'idle'],
    ]
    for (const [what, model, expected] of rows) expect(status(model), what).toBe(expected)
  })

  it('moves the epoch whenever the conversation held changes, and only then', () => {
    const a = run([holding(1)])
    expect(a.epoch).toBe(1)
    expect(run([holding(1, { conversation: conversation(1) })], a).epoch).toBe(1)
    const b = run([{ type: 'forgotten', reason: null }, holding(2)], a)
    expect(b.epoch).toBe(3)
    // Holding A again is a new holding: an answer asked for the first one is still stale.
    const again = run([{ type: 'forgotten', reason: null }, holding(1)], a)
    expect(isCurrent(again, asked(a)), 'stale-answer rule: an answer asked before a reset is dropped').toBe(false)
  })

  it('lets everything of the previous conversation go when another is held', () => {
    const a = run([holding(1)])
    const loaded = run(
      [
        { type: 'read', asked: asked(a), conversation: conversation(1) },
        { type: 'newest loaded', asked: asked(a), messages: [message(10, 1)], total: 1, visitor, marks: null },
        { type: 'takeover changed', asked: asked(a), takeover: { isAssignedToBot: true } as never },
      ],
      a,
    )
    const b = transition(loaded, holding(2))
    expect(b).toMatchObject({ conversation: undefined, takeover: undefined, readError: null, loadingOlder: false })
    expect(b.history).toBe(EMPTY_HISTORY)
  })

  it('the stale-answer rule: an answer counts only for the conversation and epoch it was asked for', () => {
    const a = run([holding(1)])
    const b = run([{ type: 'forgotten', reason: null }, holding(2)], a)
    expect(isCurrent(a, asked(a))).toBe(true)
    expect(isCurrent(b, asked(a)), 'stale-answer rule: an answer for A after the move to B').toBe(false)
    expect(isCurrent(b, undefined), 'events that answer nothing always apply').toBe(true)
  })

  it('a follow-up lets the closed conversation go, keeps its messages shown, and drops its late answers', () => {
    const held = run([holding(1)])
    const closed = transition(held, {
      type: 'read',
      asked: asked(held),
      conversation: conversation(1, { isClosed: true }),
    })
    const before = asked(closed)
    const loaded = transition(closed, {
      type: 'newest loaded',
      asked: before,
      messages: [message(5, 1)],
      total: 1,
      visitor,
      marks: null,
    })
    expect(status(loaded)).toBe('closed')
    const next = transition(loaded, { type: 'followed up', shown: loaded.history.list })
    expect(next.stored, 'let go').toBeNull()
    expect(next.epoch).toBe(loaded.epoch + 1)
    expect(next.previous).toEqual({ conversationId: 1, messages: loaded.history.list })
    expect(next.history, 'the follow-up starts with its own history').toBe(EMPTY_HISTORY)
    expect(status(next)).toBe('idle')
    expect(stateOf(next, [], null).previousConversationId).toBe(1)
    expect(isCurrent(next, before), 'an answer for the closed one is stale').toBe(false)
    const started = transition(next, {
      type: 'started',
      asked: { conversationId: undefined, epoch: next.epoch },
      stored: { conversationId: 2, isBotEnabled: false },
      conversation: conversation(2),
      url: undefined,
      seen: [0, 0],
    })
    expect(started.previous?.conversationId, 'kept through the start').toBe(1)
    expect(transition(started, { type: 'forgotten', reason: null }).previous, 'a reset moves on').toBeUndefined()
    expect(transition(started, { type: 'signed out' }).previous, 'a sign-out moves on').toBeUndefined()
  })

  it('open: another conversation held, the one left’s answers stale, a follow-up’s closed one moved on from', () => {
    const held = run([holding(1)])
    const before = asked(held)
    const following = { ...held, previous: { conversationId: 9, messages: [] } }
    const opened = transition(following, {
      type: 'opened',
      stored: { conversationId: 2, isBotEnabled: false },
      seen: undefined,
    })
    expect(opened.stored?.conversationId).toBe(2)
    expect(opened.epoch).toBe(held.epoch + 1)
    expect(isCurrent(opened, before), 'an answer for the one left is dropped').toBe(false)
    expect(opened.previous).toBeUndefined()
  })

  it('lets a resumed conversation go only on a definite answer: closed, or 404', () => {
    const resumed = run([holding(5, { resumed: true })])
    const question = asked(resumed)
    expect(resumeEnding(resumed, question, { conversation: conversation(5, { isClosed: true }) })).toEqual({
      kind: 'closed',
      conversationId: 5,
    })
    const missing = Object.assign(new Error('HTTP 404'), { kind: 'http', status: 404 })
    expect(resumeEnding(resumed, question, { error: missing as never })?.kind).toBe('missing')
    const down = Object.assign(new Error('HTTP 503'), { kind: 'http', status: 503 })
    expect(resumeEnding(resumed, question, { error: down as never })).toBeNull()
    const verified = transition(resumed, { type: 'read', asked: question, conversation: conversation(5) })
    expect(resumeEnding(verified, question, { conversation: conversation(5, { isClosed: true }) })).toBeNull()
  })

  it('on a resume without a seen mark, loaded history counts as seen; a start here counts it unread', () => {
    const resumed = run([holding(5, { resumed: true })])
    const loaded = transition(resumed, {
      type: 'newest loaded',
      asked: asked(resumed),
      messages: [message(11, 2), message(10, 1)],
      total: 2,
      visitor,
      marks: null,
    })
    expect(stateOf(loaded, loaded.history.list, null).unreadCount).toBe(0)
    const started = run([
      {
        type: 'started',
        asked: { conversationId: undefined, epoch: 0 },
        stored: { conversationId: 6, isBotEnabled: false },
        conversation: conversation(6),
        url: undefined,
        seen: [0, 0],
      },
    ])
    const greeted = transition(started, {
      type: 'newest loaded',
      asked: asked(started),
      messages: [message(12, 3)],
      total: 1,
      visitor,
      marks: { conversationId: 6, seen: [0, 0] },
    })
    expect(stateOf(greeted, greeted.history.list, null).unreadCount).toBe(1)
    const seen = transition(greeted, { type: 'seen', mark: [Date.UTC(2026, 0, 1, 0, 0, 3), 12] })
    expect(stateOf(seen, seen.history.list, null).unreadCount).toBe(0)
  })
})

describe('the history and the message view', () => {
  it('merges pages in time order, keeps unchanged views, and re-sorts only when needed', () => {
    const first = mergeHistory(EMPTY_HISTORY, [message(3, 3), message(2, 2)], [visitor])
    expect(first.list.map((m) => m.id)).toEqual([2, 3])
    const same = mergeHistory(first, [message(3, 3)], [visitor])
    expect(same.list).toBe(first.list)
    const older = mergeHistory(first, [message(1, 1)], [visitor])
    expect(older.list.map((m) => m.id)).toEqual([1, 2, 3])
    expect(older.list[1]).toBe(first.list[0])
    expect(first.list.map((m) => m.role)).toEqual(['agent', 'agent'])
    expect(mergeHistory(EMPTY_HISTORY, [message(4, 4, visitor)], [visitor]).list[0]?.role).toBe('visitor')
  })

  it('shows the history then the sends it does not list; a stored send leaves the view once listed', () => {
    const history = mergeHistory(EMPTY_HISTORY, [message(1, 1)], [visitor]).list
    const entries: OutboxEntry[] = [
      { localId: 1, message: 'stored', writtenAt: 0, sent: { id: 1 } },
      { localId: 2, message: 'on its way', writtenAt: 0 },
    ]
    const viewOf = (entry: OutboxEntry) => ({ key: `outbox-${entry.localId}`, message: entry.message }) as never
    const listed = (id: number) => id === 1
    expect(messageView(history, entries, listed, viewOf).map((m) => m.message)).toEqual(['m1', 'on its way'])
    expect(messageView(history, [], listed, viewOf)).toBe(history)
  })
})

describe('THE polling rule', () => {
  it('decides every pace from its facts (table)', () => {
    const rows: [Parameters<typeof pollDelay>[0], number | false][] = [
      [{ interval: 4000, quietFor: 0 }, 4000],
      [{ interval: false, quietFor: 0 }, false],
      [{ interval: 4000, isClosed: true, quietFor: 0 }, false],
      [{ interval: 4000, streamHealthy: true, quietFor: 0 }, 30_000],
      [{ interval: 60_000, streamHealthy: true, quietFor: 0 }, 60_000],
      [{ interval: 4000, quietFor: 60_001 }, 15_000],
      [{ interval: 4000, quietFor: 60_000 }, 4000],
      [{ interval: 4000, quietFor: 0, queuePosition: 4 }, 15_000],
      [{ interval: 4000, quietFor: 0, queuePosition: 3 }, 4000],
      [{ interval: 20_000, quietFor: 90_000 }, 20_000],
      // #24 attention: a hidden page keeps polling at the idle pace, never stops
      [{ interval: 4000, quietFor: 0, hidden: true }, 15_000],
      [{ interval: 20_000, quietFor: 0, hidden: true }, 20_000],
      [{ interval: 4000, quietFor: 0, hidden: false }, 4000],
      [{ interval: 4000, streamHealthy: true, quietFor: 0, hidden: true }, 30_000],
      [{ interval: false, quietFor: 0, hidden: true }, false],
      [{ interval: 4000, isClosed: true, quietFor: 0, hidden: true }, false],
    ]
    for (const [facts, expected] of rows) expect(pollDelay(facts), JSON.stringify(facts)).toBe(expected)
  })
})
