import type { Decorator, Loader, Preview } from '@storybook/react-vite'
import { QueryClient } from '@tanstack/react-query'
import { getWorker, initialize, mswLoader } from 'msw-storybook-addon'
import { ChatApiProvider, createChatClient } from 'socialboards-chat-react'
import {
  createMockChatApi,
  MOCK_ACCESS_TOKEN,
  MOCK_BASE_URL,
  type MockAgentScript,
  type MockChatApi,
} from 'socialboards-chat-react/mock'
import { createInPageChatServer } from '../stories/chat-server'
import '../stories/demo.css'

/** Story parameters that shape the mock API (`parameters.chat`). */
export interface ChatStoryParameters {
  /** Milliseconds the mock waits before each answer. Default 600, so the pending state is visible. */
  latency?: number
  /** The first token handed out has expired: the mock answers 401 until the token is refreshed. */
  expiredToken?: boolean
  /** `false`: no mock at all (the story talks to a real server). */
  mock?: false
  /**
   * `true`: the story's page talks to the server half (`createChatHandler` at `/api/chat`, run inside the page
   * behind msw, see `stories/chat-server.ts`) in front of the story's mock; the story brings its own provider.
   */
  server?: boolean
  /** The mock's scripted agent (queue moves, agent joins and answers). Default: on, at demo speed. */
  agent?: MockAgentScript | false
  /** Conversations already waiting before the story's own, so the queue has somewhere to move. */
  queueAhead?: number
  /**
   * Keep the mock's data in `sessionStorage` (key {@link DEMO_MOCK_KEY}), so a real reload (F5)
   * finds the chat again: `keep` resumes what is there, `fresh` starts over (and forgets the demo's chat).
   */
  persist?: 'keep' | 'fresh'
}

/** Where a persisted story keeps the mock's data. */
export const DEMO_MOCK_KEY = 'socialboards-chat-demo:mock'

/** What each story's `loaded` holds. */
export interface ChatStoryLoaded {
  api: MockChatApi
  queryClient: QueryClient
  accessToken: () => string
}

initialize({ onUnhandledRequest: 'bypass', quiet: true })

/** Stops the previous story's in-page server half, if it had one. */
let stopServer: (() => void) | undefined

// One fresh mock store and QueryClient per story, so nothing leaks between stories.
const chatLoader: Loader = async (context) => {
  const parameters: ChatStoryParameters = context.parameters.chat ?? {}
  stopServer?.()
  stopServer = undefined
  await mswLoader(context)
  const latency = parameters.latency ?? 600
  const agent = parameters.agent ?? { queueStepMs: 1500, replyAfterMs: 1200 }
  const queryClient = new QueryClient()
  if (parameters.server) {
    const server = createInPageChatServer({ latency, agent })
    getWorker().use(...server.handlers)
    stopServer = server.close
    return { api: server.api, queryClient, accessToken: () => MOCK_ACCESS_TOKEN } satisfies ChatStoryLoaded
  }
  if (parameters.persist === 'fresh')
    for (const key of Object.keys(sessionStorage))
      if (key.startsWith('socialboards-chat-demo:')) sessionStorage.removeItem(key)
  const api = createMockChatApi({
    latency,
    agent,
    ...(parameters.persist ? { persist: { storage: sessionStorage, key: DEMO_MOCK_KEY } } : {}),
  })
  if (parameters.mock !== false) getWorker().use(...api.handlers)
  // A persisted mock seeds its queue once, not on every reload.
  if (parameters.queueAhead && !api.conversations().length) {
    const seed = createChatClient({ baseURL: MOCK_BASE_URL, accessToken: MOCK_ACCESS_TOKEN })
    api.setLatency(0)
    for (let i = 0; i < parameters.queueAhead; i++)
      await seed.createConversation({ author: { email: `waiting-${i}@example.com` } })
    api.setLatency(latency)
    api.requests.length = 0
  }
  let tokensHandedOut = 0
  const accessToken = () => (parameters.expiredToken && tokensHandedOut++ === 0 ? 'expired-token' : MOCK_ACCESS_TOKEN)
  return { api, queryClient, accessToken } satisfies ChatStoryLoaded
}

const withChatApi: Decorator = (Story, { loaded, parameters }) => {
  const { queryClient, accessToken } = loaded as ChatStoryLoaded
  if (parameters.chat?.mock === false || parameters.chat?.server) return <Story />
  return (
    <ChatApiProvider baseURL={MOCK_BASE_URL} accessToken={accessToken} queryClient={queryClient}>
      <Story />
    </ChatApiProvider>
  )
}

const preview: Preview = {
  loaders: [chatLoader],
  decorators: [withChatApi],
  parameters: {
    a11y: { test: 'error' },
    layout: 'padded',
    options: {
      // The first page (what opens at /) is a running chat: Free Play, then the introduction, then the rest.
      storySort: {
        includeNames: true,
        order: [
          'Chat session',
          ['Support widget', ['Free Play', '*']],
          'Introduction',
          'Conversation lifecycle',
          'Create conversation',
          ['Start chat form', '*'],
          'Server half',
          '*',
        ],
      },
    },
  },
  tags: ['autodocs'],
}

export default preview
