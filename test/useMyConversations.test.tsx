import { focusManager } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import {
  ChatApiProvider,
  chatKeys,
  myConversationsKey,
  useChatClient,
  useCreateConversation,
  useMyConversations,
} from 'socialboards-chat-react'
import { describe, expect, it } from 'vitest'
import { behindHandler } from './support/behind-handler'
import { freshQueryClient } from './support/render'

// useMyConversations behind the server half (msw hands the page's requests to the handler).

const author = { name: 'Ada', email: 'ada@example.com' }

describe('useMyConversations', () => {
  it('lists the visitor’s conversations and reads them again once one is created here', async () => {
    const { wrapper, lists } = behindHandler()
    const { result } = renderHook(() => ({ history: useMyConversations(), create: useCreateConversation() }), {
      wrapper,
    })
    await waitFor(() => expect(result.current.history.data).toEqual([]))
    const first = await act(() => result.current.create.mutateAsync({ author, title: 'First' }))
    await waitFor(() => expect(result.current.history.data?.map((item) => item.id)).toEqual([first.id]))
    const second = await act(() => result.current.create.mutateAsync({ author, title: 'Second' }))
    await waitFor(() => expect(result.current.history.data?.map((item) => item.id)).toEqual([second.id, first.id]))
    expect(result.current.history.data?.[0]).toMatchObject({ isClosed: false, lastMessage: null })
    expect(lists()).toBe(3)
  })

  it('reads it again when a session caches a conversation it does not list, and when one it lists closes', async () => {
    const { wrapper, queryClient, lists } = behindHandler()
    const { result } = renderHook(() => ({ history: useMyConversations(), client: useChatClient() }), { wrapper })
    await waitFor(() => expect(result.current.history.data).toEqual([]))
    // What useChatSession does with the conversation it started: cache it under chatKeys.conversation(id).
    const conversation = await result.current.client.createConversation({ author })
    act(() => queryClient.setQueryData(chatKeys.conversation(conversation.id), conversation))
    await waitFor(() => expect(result.current.history.data?.map((item) => item.id)).toEqual([conversation.id]))
    const read = lists()
    // Polls that change nothing read nothing.
    act(() => queryClient.setQueryData(chatKeys.conversation(conversation.id), { ...conversation }))
    // Closed by an agent: the conversation's poll says so, and the list follows.
    await result.current.client.closeConversation(conversation.id)
    act(() => queryClient.setQueryData(chatKeys.conversation(conversation.id), { ...conversation, isClosed: true }))
    await waitFor(() => expect(result.current.history.data?.[0]?.isClosed).toBe(true))
    expect(lists()).toBe(read + 1)
  })

  it('reads it again when the window regains focus', async () => {
    const { wrapper, lists } = behindHandler()
    const { result } = renderHook(() => useMyConversations(), { wrapper })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(lists()).toBe(1)
    act(() => {
      focusManager.setFocused(false)
      focusManager.setFocused(true)
    })
    await waitFor(() => expect(lists()).toBe(2))
    focusManager.setFocused(undefined)
  })

  it('many mounted hooks: a create reads the list once', async () => {
    const { wrapper, lists } = behindHandler()
    const { result } = renderHook(
      () => ({ a: useMyConversations(), b: useMyConversations(), create: useCreateConversation() }),
      { wrapper },
    )
    await waitFor(() => expect(result.current.a.isSuccess).toBe(true))
    expect(lists()).toBe(1)
    const created = await act(() => result.current.create.mutateAsync({ author }))
    await waitFor(() => expect(result.current.b.data?.map((item) => item.id)).toEqual([created.id]))
    expect(lists()).toBe(2)
  })

  it('after signOutVisitor and resetting the cache, the next visitor’s list has none of the old', async () => {
    const { wrapper, queryClient, seen } = behindHandler()
    const { result } = renderHook(() => ({ history: useMyConversations(), client: useChatClient() }), { wrapper })
    await waitFor(() => expect(result.current.history.data).toEqual([]))
    const old = await result.current.client.createConversation({ author })
    await act(() => queryClient.invalidateQueries({ queryKey: myConversationsKey() }))
    await waitFor(() => expect(result.current.history.data?.map((item) => item.id)).toEqual([old.id]))
    await act(async () => {
      await result.current.client.signOutVisitor()
      await queryClient.resetQueries({ queryKey: chatKeys.all })
    })
    expect(seen).toContain('DELETE /api/chat/visitor')
    await waitFor(() => expect(result.current.history.data).toEqual([]))
  })

  it('behind a provider with an accessToken: a validation error, nothing sent', async () => {
    const { lists, seen } = behindHandler()
    const queryClient = freshQueryClient()
    const wrapper = ({ children }: { children: ReactNode }) => (
      <ChatApiProvider baseURL="/api/chat/" accessToken="a-token" queryClient={queryClient}>
        {children}
      </ChatApiProvider>
    )
    const { result } = renderHook(() => useMyConversations(), { wrapper })
    await waitFor(() => expect(result.current.isError).toBe(true))
    expect(result.current.error?.kind).toBe('validation')
    expect(result.current.error?.issues?.[0]?.path).toBe('accessToken')
    expect(lists()).toBe(0)
    expect(seen).toEqual([])
  })

  it('select shapes what the component gets', async () => {
    const { wrapper } = behindHandler()
    const { result } = renderHook(() => useMyConversations({ select: (list) => list.length }), { wrapper })
    await waitFor(() => expect(result.current.data).toBe(0))
  })
})
