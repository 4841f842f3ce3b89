'use client'
import { describeError, useChatSession } from 'socialboards-chat-react'

/** A failed start or a refused message: the visitor's words, and one click to try again. Nothing typed is lost. */
export function ChatThatRecovers() {
  const chat = useChatSession({ author: { name: 'Ada', email: 'ada@example.com' } })
  return (
    <section aria-label="Support chat">
      {chat.status === 'error' && (
        <div role="alert">
          {/* The visitor's words, never chat.error.message (a log line for developers). */}
          <p>{describeError(chat.error)}</p>
          {/* No conversation: the start failed, and start() tries again (its waiting messages go with it). */}
          {chat.conversationId === undefined && (
            <button type="button" onClick={() => chat.start().catch(() => {})}>
              Try again
            </button>
          )}
        </div>
      )}
      <ol role="log" aria-label="Messages">
        {chat.messages.map((m) => (
          <li key={m.key}>
            {m.message}
            {m.status === 'failed' && m.localId !== undefined && (
              <>
                {' '}
                Not sent: {describeError(m.error)}{' '}
                <button type="button" onClick={() => chat.retry(m.localId as number)}>
                  Retry
                </button>
                <button type="button" onClick={() => chat.discard(m.localId as number)}>
                  Remove
                </button>
              </>
            )}
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => chat.send('Hello?')}>
        Say hello
      </button>
    </section>
  )
}
