'use client'
import { useQueryClient } from '@tanstack/react-query'
import { type ChatSession, chatKeys } from 'socialboards-chat-react'

/** "Sign out" for a chat on useChatSession: this device forgets the visitor, and the server half forgets the browser. */
export function SessionSignOut({ chat, signOutOfApp }: { chat: ChatSession; signOutOfApp?: () => Promise<void> }) {
  const queryClient = useQueryClient()
  async function signOut() {
    await signOutOfApp?.() // your own session ends first: resolveVisitor resolves no one from now on
    // The conversation, the generated visitor id, the seen marks and unsent messages are forgotten here (unsent ones
    // are dropped, never sent as the next visitor's); behind the server half, DELETE /api/chat/visitor expires the
    // visitor cookie. Status `idle`.
    await chat.signOut()
    await queryClient.resetQueries({ queryKey: chatKeys.all }) // the history and every cached chat leave the screen
  }
  return (
    <button type="button" onClick={signOut}>
      Sign out of chat
    </button>
  )
}
