import { QueryClient } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { StrictMode, useRef } from 'react'
import {
  type Conversation,
  type CreateConversationInput,
  chatKeys,
  createChatClient,
  createConversationMutationOptions,
  useCreateConversation,
} from 'socialboards-chat-react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, baseURL, token } from './support/mock-server'
import { providerWrapper } from './support/render'

const input: CreateConversationInput = { author: { name: 'Ada', customIdentifier: 'ADA-1' }, title: 'Billing' }

afterEach(() => {
  vi.useRealTimers()
})

describe('useCreateConversation', () => {
  it('goes idle → pending → success and caches the conversation', async () => {
    api.setLatency(400)
    const { wrapper, queryClient } = providerWrapper()
    const { result } = renderHook(() => useCreateConversation(), { wrapper })
    expect(result.current.status).toBe('idle')

    await act(async () => result.current.mutate(input))
    await waitFor(() => expect(result.current.status).toBe('pending'))
    expect(result.current.variables).toEqual(input)
    await waitFor(() => expect(result.current.status).toBe('success'))

    const conversation = result.current.data as Conversation
    expect(conversation.author.customIdentifier).toBe('ada-1')
    expect(queryClient.getQueryData(chatKeys.conversation(conversation.id))).toEqual(conversation)
  })

  it('shows an api error as an error, keeping what was submitted', async () => {
    api.inject({ type: 'envelope', errorCode: 9, errorText: 'Queue full' })
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useCreateConversation(), { wrapper })
    act(() => result.current.mutate(input))
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.data).toBeUndefined()
    expect(result.current.error).toMatchObject({ kind: 'api', errorCode: 9, errorText: 'Queue full' })
    expect(result.current.variables).toEqual(input)
  })

  it('refuses bad input with a validation error and sends nothing', async () => {
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useCreateConversation(), { wrapper })
    act(() => result.current.mutate({ author: { name: 'No id' } }))
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.error?.kind).toBe('validation')
    expect(result.current.error?.issues).toEqual([
      { path: 'author', code: 'identifier', message: 'needs an id, email or customIdentifier (or isBot: true)' },
    ])
    expect(api.requests).toHaveLength(0)
  })

  it('never retries a create, even when the app retries mutations by default', async () => {
    const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: 3, retryDelay: 1 } } })
    api.inject({ type: 'status', status: 503, body: 'busy' })
    const { wrapper } = providerWrapper({ queryClient })
    const { result } = renderHook(() => useCreateConversation(), { wrapper })
    act(() => result.current.mutate(input))
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.error?.status).toBe(503)
    expect(api.requests).toHaveLength(1)
  })

  it('keeps no copy of its options per create, yet applies the app’s mutation defaults', async () => {
    // Each retained create would otherwise hold its own copy of the options (memory per create).
    const onSettled = vi.fn()
    const queryClient = new QueryClient({ defaultOptions: { mutations: { gcTime: 60_000, onSettled } } })
    const { wrapper } = providerWrapper({ queryClient })
    const { result } = renderHook(() => useCreateConversation(), { wrapper })
    await act(() => result.current.mutateAsync(input))
    await act(() => result.current.mutateAsync(input))
    const [first, second] = queryClient.getMutationCache().getAll()
    expect(first?.options).toBe(second?.options)
    expect(first?.options).toMatchObject({ gcTime: 60_000, retry: false, mutationKey: chatKeys.createConversation() })
    expect(onSettled).toHaveBeenCalledTimes(2)
  })

  it('sends one request for a double submit; mutateAsync returns the pending result', async () => {
    api.setLatency(20)
    const { wrapper } = providerWrapper()
    const { result } = renderHook(() => useCreateConversation(), { wrapper })
    let first: Promise<Conversation> | undefined
    let second: Promise<Conversation> | undefined
    act(() => {
      result.current.mutate(input)
      result.current.mutate(input)
      first = result.current.mutateAsync(input)
      second = result.current.mutateAsync({ ...input, title: 'Other' })
    })
    const [a, b] = await Promise.all([first, second])
    expect(a).toBe(b)
    await waitFor(() => expect(result.current.status).toBe('success'))
    expect(api.requests).toHaveLength(1)
    expect(api.conversations()).toHaveLength(1)

    await act(() => result.current.mutateAsync(input))
    expect(api.conversations()).toHaveLength(2)
  })

  it('makes one conversation when a person double-clicks submit', async () => {
    api.setLatency(30)
    function Form() {
      const create = useCreateConversation()
      return (
        <button type="button" onClick={() => create.mutate(input)}>
          {create.status}
        </button>
      )
    }
    const { wrapper: Wrapper } = providerWrapper()
    render(<Form />, { wrapper: Wrapper })
    await userEvent.dblClick(screen.getByRole('button'))
    await screen.findByText('success')
    expect(api.conversations()).toHaveLength(1)
  })

  it('calls the caller’s onSuccess and still caches', async () => {
    const onSuccess = vi.fn()
    const { wrapper, queryClient } = providerWrapper()
    const { result } = renderHook(() => useCreateConversation({ onSuccess }), { wrapper })
    const conversation = await act(() => result.current.mutateAsync(input))
    expect(onSuccess).toHaveBeenCalledWith(
      conversation,
      input,
      undefined,
      expect.objectContaining({ client: queryClient }),
    )
    expect(queryClient.getQueryData(chatKeys.conversation(conversation.id))).toEqual(conversation)
  })

  it('renders exactly twice after mount for one successful create (pending, success)', async () => {
    // Fake time that flows by itself, so a late render can be waited for by jumping ahead.
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { wrapper } = providerWrapper()
    let renders = 0
    const { result } = renderHook(
      () => {
        renders++
        return useCreateConversation()
      },
      { wrapper },
    )
    const afterMount = renders
    api.setLatency(30)
    act(() => result.current.mutate(input))
    await waitFor(() => expect(result.current.status).toBe('success'))
    await act(() => vi.advanceTimersByTimeAsync(60_000)) // every batch and timer a late render could wait on
    expect(renders - afterMount).toBe(2)
  })

  it('logs nothing when unmounted while pending', async () => {
    api.setLatency(40)
    const consoleError = vi.spyOn(console, 'error')
    const { wrapper, queryClient } = providerWrapper()
    const { result, unmount } = renderHook(() => useCreateConversation(), { wrapper })
    act(() => result.current.mutate(input))
    unmount()
    // Wait for the answer to reach the (unmounted) hook's mutation, not for a guessed time.
    await waitFor(() => expect(queryClient.getMutationCache().getAll()[0]?.state.status).toBe('success'))
    expect(api.conversations()).toHaveLength(1)
    expect(consoleError).not.toHaveBeenCalled()
  })

  it('works under <StrictMode> with one request per submit', async () => {
    const { wrapper: Inner } = providerWrapper()
    const wrapper = ({ children }: { children: React.ReactNode }) => (
      <StrictMode>
        <Inner>{children}</Inner>
      </StrictMode>
    )
    const { result } = renderHook(
      () => {
        const stable = useRef<unknown>(null)
        const create = useCreateConversation()
        stable.current ??= create.mutate
        return { create, sameMutate: stable.current === create.mutate }
      },
      { wrapper },
    )
    await act(() => result.current.create.mutateAsync(input))
    await waitFor(() => expect(result.current.create.status).toBe('success'))
    expect(result.current.sameMutate).toBe(true)
    expect(api.requests).toHaveLength(1)
  })
})

describe('createConversationMutationOptions', () => {
  it('runs with a plain QueryClient outside React and caches the result', async () => {
    const queryClient = new QueryClient()
    const options = createConversationMutationOptions(createChatClient({ baseURL, accessToken: token }))
    const conversation = await queryClient.getMutationCache().build(queryClient, options).execute(input)
    expect(options.retry).toBe(false)
    expect(options.mutationKey).toEqual(chatKeys.createConversation())
    expect(queryClient.getQueryData(chatKeys.conversation(conversation.id))).toEqual(conversation)
  })
})
