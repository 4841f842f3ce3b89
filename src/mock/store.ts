// The mock's state: users, conversations and messages, with the server's documented rules.
import type { AddMessageInput, ConversationTakeover, CreateConversationInput, EndpointName } from '../core/endpoints'
import type { Conversation, ConversationMessage, OrderBy, User, UserValue } from '../core/types'

/**
 * The mock's stamps in the format of the reference's examples: 7 fractional digits and an offset,
 * e.g. `2024-05-01T10:00:00.1230000+00:00` (the mock's clock has milliseconds, so the last four are 0).
 */
export const timestamp = (date: Date | number) => new Date(date).toISOString().replace('Z', '0000+00:00')

/** The mock's stand-in for the Socialboards system bot (its real id is not documented). */
export const MOCK_BOT: User = {
  id: '00000000-0000-4000-8000-000000000b07',
  name: 'Socialboards Bot',
  email: null,
  image: null,
  isBot: true,
  status: null,
}

/** The scripted agent who joins conversations in demos: staff, so status `team` (as the Ticket API shows staff). */
export const MOCK_AGENT: User = {
  id: '00000000-0000-4000-8000-0000000a6e47',
  name: 'Anna (support)',
  email: null,
  image: null,
  isBot: false,
  status: 'team',
}

/** Minutes of estimated wait per place in the mock's queue (the mock's own rule). */
export const MOCK_MINUTES_PER_QUEUE_PLACE = 3

/** A scripted agent for demos: the queue moves, an agent joins and answers. */
export interface MockAgentScript {
  /**
   * Milliseconds per conversation: while any wait, every `queueStepMs` the agent takes the first
   * waiting conversation that is not with the bot (position -1, a greeting) and every one behind it
   * moves up a place. Each step is timed from the one before, or from the create that set it going.
   * Default 2000.
   */
  queueStepMs?: number
  /** Milliseconds before the agent (or bot) answers a client message. Default 1500. */
  replyAfterMs?: number
  /**
   * `true`: nothing happens with time; each scripted event (a queue step, an agent joining, a reply)
   * waits for `runAgent()`, so a test or a story's `play` decides when, without racing a clock.
   * Default `false`.
   */
  manual?: boolean
}

interface Record {
  conversation: Conversation
  messages: ConversationMessage[]
  takeover: ConversationTakeover
}

/** A scripted event not yet due, applied lazily whenever the mock is read or written. */
interface Due {
  at: number
  /** Applies the event as of `time` (its own `at`, or now when run early by `runAgent`). */
  apply: (time: number) => void
}

const normalise = (identifier: string) => identifier.trim().toLowerCase()
const copy = <T>(value: T): T => structuredClone(value)

/** Why a store operation refused a request; the mock turns it into an answer. */
export class MockRefusal extends Error {
  constructor(
    readonly reason: 'notFound' | 'closed',
    message: string,
  ) {
    super(message)
  }
}

/** What changed in the mock, as a Socialboards webhook would tell it. */
export interface MockEvent {
  type:
    | 'conversation_created'
    | 'conversation_message_added'
    | 'conversation_takeover_state_changed'
    | 'conversation_closed'
  conversationId: number
}

/** The mock's data in plain JSON: what `persist` keeps across a page reload. */
export interface MockSnapshot {
  nextConversationId: number
  nextMessageId: number
  users: User[]
  records: { conversation: Conversation; messages: ConversationMessage[]; takeover: ConversationTakeover }[]
}

/** The query string of a request, as the mock reads it. */
type Query = { [name: string]: string | undefined }

/** How the mock answers one endpoint: the conversation id of the path, the body and the query. */
export type MockHandler = (id: number, body: never, query: Query) => unknown

/** @internal The mock's handler of every endpoint of the list. */
export type MockHandlers = { [K in EndpointName]: MockHandler }

const orderOf = (query: Query) => (query.orderBy ?? query.orderyBy) as OrderBy | undefined
const numberOf = (value: string | undefined) => (value === undefined ? undefined : Number(value))
const ordered = (record: Record, orderBy: OrderBy = 'creation_time_desc') =>
  orderBy === 'creation_time_asc' ? [...record.messages] : [...record.messages].reverse()

/** The mock's data and the scripted agent's clock: what every endpoint handler reads and writes. */
function createState(now: () => Date, agent: MockAgentScript | false, onEvent: (event: MockEvent) => void) {
  let nextConversationId = 254626
  let nextMessageId = 667155
  const users: User[] = []
  const records = new Map<number, Record>()
  let due: Due[] = []
  /** Whether the scripted agent's next take is scheduled. */
  let taking = false
  const queueStepMs = agent ? (agent.queueStepMs ?? 2000) : 0
  const replyAfterMs = agent ? (agent.replyAfterMs ?? 1500) : 0
  let manual = agent ? agent.manual === true : false

  /** Finds the author by id, then email, then customIdentifier (documented precedence), or creates one. */
  function resolveUser(author: UserValue): User {
    if (author.isBot) return MOCK_BOT
    const customIdentifier = author.customIdentifier === undefined ? undefined : normalise(author.customIdentifier)
    const found =
      (author.id && users.find((user) => user.id.toLowerCase() === author.id?.toLowerCase())) ||
      (author.email && users.find((user) => user.email?.toLowerCase() === author.email?.toLowerCase())) ||
      (customIdentifier && users.find((user) => user.customIdentifier === customIdentifier)) ||
      undefined
    if (found) {
      if (customIdentifier && !found.customIdentifier) found.customIdentifier = customIdentifier
      return { ...found }
    }
    const user: User = {
      id: author.id ?? crypto.randomUUID(),
      name: author.name ?? null,
      email: author.email ?? null,
      image: author.image ?? null,
      isBot: false,
      status: 'client',
      customIdentifier: customIdentifier ?? null,
    }
    users.push(user)
    return { ...user }
  }

  /** The conversation's place in the queue; below 1 when it is not waiting (closed, or with an agent). */
  const placeOf = ({ conversation }: Record) =>
    conversation.isClosed ? 0 : (conversation.queuePositionInfo?.position ?? 0)
  /** The waiting conversations, in queue order (the order they were created in). */
  const waiting = () => [...records.values()].filter((record) => placeOf(record) > 0)
  /** The first waiting conversation that is not with the bot: the one the scripted agent takes next. */
  const nextUp = () => waiting().find((record) => !record.takeover.isAssignedToBot)

  const queueAt = (position: number) => ({ position, waitTime: position * MOCK_MINUTES_PER_QUEUE_PLACE })

  /** Every change to a conversation moves its `lastModifiedTime` (never back). */
  function touch({ conversation }: Record, at = now().getTime()) {
    conversation.lastModifiedTime = timestamp(Math.max(at, Date.parse(conversation.lastModifiedTime as string) || 0))
  }

  /** Stores a message written at `at` (back-dated for imported history), as of `storedAt`. */
  function append(record: Record, author: User, text: string, at: number, storedAt = at) {
    onEvent({ type: 'conversation_message_added', conversationId: record.conversation.id })
    const message: ConversationMessage = {
      id: nextMessageId++,
      author: { ...author },
      creationTime: timestamp(at),
      lastModifiedTime: timestamp(storedAt),
      message: text,
    }
    // Kept in time order: imported history may be back-dated.
    const index = record.messages.findIndex((m) => Date.parse(m.creationTime) > at)
    if (index === -1) record.messages.push(message)
    else record.messages.splice(index, 0, message)
    record.conversation.totalMessagesCount = record.messages.length
    touch(record, storedAt)
    return message
  }

  /**
   * The conversation that was at `place` left the queue (closed, or taken by an agent): every one
   * behind it moves up a place. The queue is not the conversations' own data: their
   * `lastModifiedTime` stays.
   */
  function moveUp(place: number) {
    for (const record of waiting())
      if (place > 0 && placeOf(record) > place) record.conversation.queuePositionInfo = queueAt(placeOf(record) - 1)
  }

  /**
   * While a conversation that is not with the bot waits, the scripted agent takes the first such
   * one every `queueStepMs` (from `from`).
   */
  function scheduleTake(from: number) {
    if (!agent || taking || !nextUp()) return
    taking = true
    due.push({
      at: from + queueStepMs,
      apply: (time) => {
        taking = false
        const first = nextUp()
        if (first) agentJoins(first, time)
        scheduleTake(time)
      },
    })
  }

  function agentJoins(record: Record, at: number) {
    const place = placeOf(record)
    record.conversation.queuePositionInfo = { position: -1, waitTime: null }
    record.conversation.isTakeoverEnabled = true
    const name = record.conversation.author.name
    append(record, MOCK_AGENT, `Hi${name ? ` ${name}` : ''}, I'm Anna from support. How can I help?`, at)
    moveUp(place)
  }

  /**
   * Applies the next `count` scripted events, earliest first, across conversations (an agent taking
   * one moves the others): with `early`, due or not, as of now, so the messages they write never land
   * before ones already there; else only those due, each as of its own time.
   */
  function run(count: number, early: boolean): number {
    const time = now().getTime()
    for (let applied = 0; ; applied++) {
      const [next] = applied < count ? due.filter((event) => early || event.at <= time).sort((a, b) => a.at - b.at) : []
      if (!next) return applied
      due = due.filter((event) => event !== next)
      next.apply(early ? time : next.at)
    }
  }

  /** Applies the scripted events that are due by now, in time order (none in manual mode). */
  function advance() {
    if (!manual) run(Number.POSITIVE_INFINITY, false)
  }

  function get(id: number): Record {
    const record = records.get(id)
    if (!record) throw new MockRefusal('notFound', `Conversation ${id} not found`)
    advance()
    return record
  }

  return {
    records,
    get,
    advance,
    append,
    touch,
    resolveUser,
    waiting,
    moveUp,
    scheduleTake,
    agentJoins,
    placeOf,
    queueAt,
    replyAfterMs,
    /** The next conversation's id. */
    newId: () => nextConversationId++,
    /** Schedules a scripted event. */
    later: (event: Due) => {
      due.push(event)
    },
    /** What the mock exposes besides the endpoints. */
    public: {
      /** Applies the next `count` scripted events (all by default), earliest first, due or not. */
      runAgent: (count = Number.POSITIVE_INFINITY) => run(count, true),
      setAgentManual: (value: boolean) => {
        manual = value
      },
      /** Copies of every conversation with all its messages, oldest first. */
      conversations: () => {
        advance()
        return [...records.values()].map((record) => copy({ ...record.conversation, messages: record.messages }))
      },
      /** Copies of every user the mock knows. */
      users: () => users.map((user) => ({ ...user })),
      /** Everything the mock holds, as plain JSON (scripted events not yet due are left out). */
      save: (): MockSnapshot => ({
        nextConversationId,
        nextMessageId,
        users: copy(users),
        records: [...records.values()].map(({ conversation, messages, takeover }) =>
          copy({ conversation, messages, takeover }),
        ),
      }),
      /** Takes back what `save` gave; queued conversations start moving again with the scripted agent. */
      restore(snapshot: MockSnapshot) {
        nextConversationId = snapshot.nextConversationId
        nextMessageId = snapshot.nextMessageId
        users.splice(0, users.length, ...snapshot.users)
        records.clear()
        due = []
        taking = false
        for (const { conversation, messages, takeover } of snapshot.records)
          records.set(conversation.id, { conversation, messages, takeover })
        scheduleTake(now().getTime())
      },
    },
  }
}

/**
 * In-memory state of the mock API: users and conversations, with the server's documented rules.
 * Every endpoint of the list has its handler here (a missing one does not compile); the mock routes
 * each request to `store[endpoint.name]` once the endpoint's own checks have passed.
 */
export function createStore(
  now: () => Date,
  agent: MockAgentScript | false = false,
  onEvent: (event: MockEvent) => void = () => {},
) {
  const state = createState(now, agent, onEvent)
  const { records, get, advance, append, touch, resolveUser, waiting, moveUp, scheduleTake, agentJoins } = state
  const { placeOf, queueAt, replyAfterMs, newId, later } = state

  /**
   * The answer follows the reference's example: the author with every User field, stamps with 7
   * fractional digits and an offset. No first message: the request carries none.
   */
  function createConversation(_id: number, input: CreateConversationInput): Conversation {
    advance()
    const position = waiting().length + 1
    const at = now().getTime()
    const time = timestamp(at)
    const conversation: Conversation = {
      id: newId(),
      author: resolveUser(input.author),
      creationTime: time,
      lastModifiedTime: time,
      feedback: null,
      fields: input.fields ?? [],
      initialPageUrl: input.url ?? null,
      latestPageUrl: input.url ?? null,
      isClosed: false,
      // Documented as "true means takeover mode" (a human has it); without a bot that is the case.
      isTakeoverEnabled: !input.isBotEnabled,
      messages: [],
      queuePositionInfo: queueAt(position),
      totalMessagesCount: 0,
    }
    const record: Record = { conversation, messages: [], takeover: { isAssignedToBot: Boolean(input.isBotEnabled) } }
    records.set(conversation.id, record)
    onEvent({ type: 'conversation_created', conversationId: conversation.id })
    // A bot conversation keeps its place, but the agent takes it only after a human takeover.
    scheduleTake(at)
    return copy(conversation)
  }

  function getConversation(id: number, _body: unknown, query: Query): Conversation {
    const record = get(id)
    const messages = query.includeMessages === 'true' ? ordered(record, orderOf(query)).slice(0, 100) : []
    return copy({ ...record.conversation, messages })
  }

  function listMessages(id: number, _body: unknown, query: Query) {
    const skip = numberOf(query.skip) ?? 0
    return copy(ordered(get(id), orderOf(query)).slice(skip, skip + (numberOf(query.take) ?? 100)))
  }

  function addMessages(id: number, inputs: AddMessageInput[], context: boolean): ConversationMessage[] {
    const record = get(id)
    if (record.conversation.isClosed && !context)
      throw new MockRefusal('closed', `Conversation ${id} is closed: new messages cannot be added`)
    const at = now().getTime()
    const added = inputs.map((input) =>
      append(
        record,
        resolveUser(input.author),
        input.message,
        input.creationTime ? Date.parse(input.creationTime) : at,
        at,
      ),
    )
    const fromClient = inputs.some((input) => input.isByTeam !== true && !input.author.isBot)
    if (agent && !context && fromClient) {
      const withAgent = record.conversation.queuePositionInfo?.position === -1
      const withBot = record.takeover.isAssignedToBot
      if (withAgent || withBot)
        later({
          at: at + replyAfterMs,
          apply: (time) => {
            if (record.conversation.isClosed) return
            const last = inputs[inputs.length - 1]?.message ?? ''
            if (record.takeover.isAssignedToBot)
              append(record, MOCK_BOT, `I'm the bot. You said "${last}". Ask for a human any time.`, time)
            else append(record, MOCK_AGENT, `Thanks! About "${last}": let me check that for you.`, time)
          },
        })
    }
    return copy(added)
  }

  function getTakeover(id: number) {
    return copy(get(id).takeover)
  }

  function changeTakeover(id: number, { isAssignedToBot }: { isAssignedToBot: boolean }) {
    const record = get(id)
    record.takeover = { isAssignedToBot }
    record.conversation.isTakeoverEnabled = !isAssignedToBot
    touch(record)
    onEvent({ type: 'conversation_takeover_state_changed', conversationId: id })
    // A human takes over: in the scripted demo the agent joins at once.
    if (!isAssignedToBot && agent && record.conversation.queuePositionInfo?.position !== -1)
      agentJoins(record, now().getTime())
    return copy(record.takeover)
  }

  function updateFeedback(id: number, { isPositive, text }: { isPositive: boolean; text?: string | null }) {
    const record = get(id)
    record.conversation.feedback = { isPositive, text: text ?? null }
    touch(record)
    return copy(record.conversation.feedback)
  }

  function updateLatestUrl(id: number, { url }: { url: string }) {
    const record = get(id)
    record.conversation.latestPageUrl = url
    touch(record)
    return copy({ ...record.conversation, messages: [] })
  }

  function closeConversation(id: number) {
    const record = get(id)
    const place = placeOf(record)
    // Its scripted replies, still due, find it closed and do nothing.
    record.conversation.isClosed = true
    touch(record)
    onEvent({ type: 'conversation_closed', conversationId: id })
    moveUp(place)
    return copy({ ...record.conversation, messages: [] })
  }

  const handlers = {
    createConversation,
    getConversation,
    listMessages,
    addMessages: (id: number, inputs: AddMessageInput[]) => addMessages(id, inputs, false),
    addMessageContext: (id: number, inputs: AddMessageInput[]) => addMessages(id, inputs, true),
    getTakeover,
    changeTakeover,
    updateFeedback,
    updateLatestUrl,
    closeConversation,
  } satisfies MockHandlers
  return { ...handlers, ...state.public }
}

/** The mock's state and operations, as {@link createStore} makes them. */
export type MockStore = ReturnType<typeof createStore>
