import type { Conversation, CreateConversationInput, User, UserValue } from '../core/types'

/** The mock's clock: ISO-8601 with an explicit offset, like the examples in the reference. */
export const timestamp = (date: Date) => date.toISOString().replace('Z', '+00:00')

/** The mock's stand-in for the Socialboards system bot (its real id is not documented). */
export const MOCK_BOT: User = {
  id: '00000000-0000-4000-8000-000000000b07',
  name: 'Socialboards Bot',
  email: null,
  image: null,
  isBot: true,
  status: null,
}

const normalise = (identifier: string) => identifier.trim().toLowerCase()

/** Minutes of estimated wait per place in the mock's queue (the mock's own rule). */
export const MOCK_MINUTES_PER_QUEUE_PLACE = 3

/** In-memory state of the mock API: users and conversations, with the server's documented rules. */
export function createStore(now: () => Date) {
  let nextConversationId = 254626
  const users: User[] = []
  const conversations = new Map<number, Conversation>()

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

  const queued = () =>
    [...conversations.values()].filter((c) => !c.isClosed && (c.queuePositionInfo?.position ?? -1) > 0)

  function createConversation(input: CreateConversationInput): Conversation {
    const position = queued().length + 1
    const time = timestamp(now())
    const conversation: Conversation = {
      id: nextConversationId++,
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
      queuePositionInfo: { position, waitTime: position * MOCK_MINUTES_PER_QUEUE_PLACE },
      totalMessagesCount: 0,
    }
    conversations.set(conversation.id, conversation)
    return structuredClone(conversation)
  }

  return {
    createConversation,
    /** Copies of every conversation, oldest first. */
    conversations: () => [...conversations.values()].map((c) => structuredClone(c)),
    /** Copies of every user the mock knows. */
    users: () => users.map((user) => ({ ...user })),
  }
}

export type MockStore = ReturnType<typeof createStore>
