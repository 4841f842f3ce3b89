'use client'
import { useQueryClient } from '@tanstack/react-query'
import { chatKeys, useChatClient } from 'socialboards-chat-react'

/** Signs the visitor out of the chat on this browser, after the app's own sign-out (if it has one). */
export function SignOutButton({ signOutOfApp }: { signOutOfApp?: () => Promise<void> }) {
  const client = useChatClient()
  const queryClient = useQueryClient()
  async function signOut() {
    await signOutOfApp?.() // your own session ends: resolveVisitor resolves no one from now on
    await client.signOutVisitor() // DELETE /api/chat/visitor: the visitor cookie expires
    await queryClient.resetQueries({ queryKey: chatKeys.all }) // the previous visitor's chats leave the screen
  }
  return (
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  )
}
