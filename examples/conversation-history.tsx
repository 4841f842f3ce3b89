'use client'
import { describeError, useMyConversations } from 'socialboards-chat-react'

/** The visitor's earlier chats, newest first; `onOpen` gets the id of the one they pick. */
export function ConversationHistory({ onOpen }: { onOpen: (conversationId: number) => void }) {
  const { data: conversations, status, error } = useMyConversations()
  if (status === 'pending') return <p>Loading your conversations…</p>
  if (status === 'error') return <p role="alert">Your conversations could not be loaded. {describeError(error)}</p>
  if (!conversations.length) return <p>No conversations yet.</p>
  return (
    <ul aria-label="Your conversations">
      {conversations.map((item) => (
        <li key={item.id}>
          <button type="button" onClick={() => onOpen(item.id)}>
            {item.title ?? `Chat of ${new Date(item.creationTime).toLocaleDateString()}`}
            {item.isClosed ? ' (ended)' : ''}
          </button>
          {item.lastMessage && (
            <p>
              {item.lastMessage.role === 'visitor' ? 'You' : 'Support'}: {item.lastMessage.message}
            </p>
          )}
        </li>
      ))}
    </ul>
  )
}
