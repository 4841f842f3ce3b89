import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { chatKeys, useChatClient } from 'socialboards-chat-react'
import { describe, expect, it, vi } from 'vitest'
import { ConversationHistory } from '../examples/conversation-history'
import { SignOutButton } from '../examples/sign-out'
import { behindHandler } from './support/behind-handler'

// The README's "Showing history" and "Signing a visitor out" recipes, run behind the server half.

const author = { name: 'Ada', email: 'ada@example.com' }

describe('README visitor recipes', () => {
  it('the history lists the visitor’s chats newest first, with the last message, and opens the one picked', async () => {
    const { wrapper: Wrapper } = behindHandler()
    let client: ReturnType<typeof useChatClient> | undefined
    function Grab() {
      client = useChatClient()
      return null
    }
    const onOpen = vi.fn()
    const view = render(
      <Wrapper>
        <Grab />
        <ConversationHistory onOpen={onOpen} />
      </Wrapper>,
    )
    expect(await screen.findByText('No conversations yet.')).toBeTruthy()
    const first = await (client as NonNullable<typeof client>).createConversation({ author, title: 'Parcel' })
    await client?.addMessages(first.id, [{ message: 'Where is my parcel?', author }])
    await client?.closeConversation(first.id)
    const second = await (client as NonNullable<typeof client>).createConversation({ author })
    view.rerender(
      <Wrapper>
        <Grab />
        <ConversationHistory key="again" onOpen={onOpen} />
      </Wrapper>,
    )
    const list = await screen.findByRole('list', { name: 'Your conversations' })
    const items = within(list).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(items[0]?.textContent).not.toContain('(ended)')
    expect(items[1]?.textContent).toContain('(ended)')
    expect(items[1]?.textContent).toContain('You: Where is my parcel?')
    await userEvent.click(within(items[1] as HTMLElement).getByRole('button'))
    expect(onOpen).toHaveBeenCalledWith(first.id)
    expect(second.id).toBeGreaterThan(first.id)
  })

  it('signing out ends the app’s session, expires the visitor cookie, and empties the history on screen', async () => {
    const { wrapper: Wrapper, seen, queryClient } = behindHandler()
    let client: ReturnType<typeof useChatClient> | undefined
    function Grab() {
      client = useChatClient()
      return null
    }
    const signOutOfApp = vi.fn(async () => {})
    render(
      <Wrapper>
        <Grab />
        <ConversationHistory onOpen={() => {}} />
        <SignOutButton signOutOfApp={signOutOfApp} />
      </Wrapper>,
    )
    expect(await screen.findByText('No conversations yet.')).toBeTruthy()
    const old = await (client as NonNullable<typeof client>).createConversation({ author })
    // The history learns of it as it does of a widget's: the conversation lands in the cache.
    act(() => queryClient.setQueryData(chatKeys.conversation(old.id), old))
    await screen.findByRole('list', { name: 'Your conversations' })
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByText('No conversations yet.')).toBeTruthy()
    expect(signOutOfApp).toHaveBeenCalledOnce()
    expect(seen).toContain('DELETE /api/chat/visitor')
    await expect(client?.getConversation(old.id)).rejects.toMatchObject({ kind: 'http', status: 403 })
  })
})
