import type { Decorator, Loader, Preview } from '@storybook/react-vite'
import { QueryClient } from '@tanstack/react-query'
import { ReactQueryDevtools } from '@tanstack/react-query-devtools/production'
import { getWorker, initialize, mswLoader } from 'msw-storybook-addon'
import { ChatApiProvider, createChatClient } from 'socialboards-chat-react'
import {
  createMockChatApi,
  MOCK_ACCESS_TOKEN,
  MOCK_BASE_URL,
  type MockAgentScript,
  type MockChatApi,
} from 'socialboards-chat-react/mock'
import '../stories/demo.css'

/** Story parameters that shape the mock API (`parameters.chat`). */
export interface ChatStoryParameters {
  /** Milliseconds the mock waits before each answer. Default 600, so the pending state is visible. */
  latency?: number
  /** The first token handed out has expired: the mock answers 401 until the token is refreshed. */
  expiredToken?: boolean
  /** `false`: no mock at all (the story talks to a real server). */
  mock?: false
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

// One fresh mock store and QueryClient per story, so nothing leaks between stories.
const chatLoader: Loader = async (context) => {
  const parameters: ChatStoryParameters = context.parameters.chat ?? {}
  await mswLoader(context)
  if (parameters.persist === 'fresh')
    for (const key of Object.keys(sessionStorage))
      if (key.startsWith('socialboards-chat-demo:')) sessionStorage.removeItem(key)
  const api = createMockChatApi({
    latency: parameters.latency ?? 600,
    agent: parameters.agent ?? { queueStepMs: 1500, replyAfterMs: 1200 },
    ...(parameters.persist ? { persist: { storage: sessionStorage, key: DEMO_MOCK_KEY } } : {}),
  })
  if (parameters.mock !== false) getWorker().use(...api.handlers)
  // A persisted mock seeds its queue once, not on every reload.
  if (parameters.queueAhead && !api.conversations().length) {
    const seed = createChatClient({ baseURL: MOCK_BASE_URL, accessToken: MOCK_ACCESS_TOKEN })
    api.setLatency(0)
    for (let i = 0; i < parameters.queueAhead; i++)
      await seed.createConversation({ author: { email: `waiting-${i}@example.com` } })
    api.setLatency(parameters.latency ?? 600)
    api.requests.length = 0
  }
  let tokensHandedOut = 0
  const accessToken = () => (parameters.expiredToken && tokensHandedOut++ === 0 ? 'expired-token' : MOCK_ACCESS_TOKEN)
  const queryClient = new QueryClient()
  return { api, queryClient, accessToken } satisfies ChatStoryLoaded
}

const withChatApi: Decorator = (Story, { loaded, parameters }) => {
  const { queryClient, accessToken } = loaded as ChatStoryLoaded
  if (parameters.chat?.mock === false) return <Story />
  return (
    <ChatApiProvider baseURL={MOCK_BASE_URL} accessToken={accessToken} queryClient={queryClient}>
      <Story />
      <ReactQueryDevtools client={queryClient} buttonPosition="bottom-right" />
    </ChatApiProvider>
  )
}

const preview: Preview = {
  loaders: [chatLoader],
  decorators: [withChatApi],
  parameters: {
    a11y: { test: 'error' },
    layout: 'padded',
  },
  tags: ['autodocs'],
}

export default preview
