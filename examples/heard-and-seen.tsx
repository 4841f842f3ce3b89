'use client'
import { announcerMessagesNb, useChatAnnouncer, useChatAttention, useChatSession } from 'socialboards-chat-react'

/** Replies a screen reader hears, and a tab that shows "(2) …" while the visitor is elsewhere. */
export function HeardAndSeenChat({ language = 'en' }: { language?: 'en' | 'nb' }) {
  const chat = useChatSession({ author: { name: 'Ada', email: 'ada@example.com' } })
  const messages = language === 'nb' ? announcerMessagesNb : undefined // English by default
  const { announcements } = useChatAnnouncer(chat, { messages })
  // While the page is hidden: the unread count in the title, a sound, and a notification if the visitor allowed it.
  const attention = useChatAttention(chat, { sound: '/sounds/reply.mp3', messages })
  return (
    <section aria-label="Support chat">
      {/* The list is a log; the announcer says each reply once, so the log itself stays quiet. */}
      <ol role="log" aria-label="Messages" aria-live="off">
        {chat.messages.map((m) => (
          <li key={m.key}>{m.message}</li>
        ))}
      </ol>
      {/* Said when the screen reader is free; always in the page (a region added later is not read), hidden visually. */}
      <div aria-live="polite" className="visually-hidden">
        {announcements.map((item) => (
          <p key={item.id}>{item.text}</p>
        ))}
      </div>
      {attention.notificationPermission === 'default' && (
        // Only from the visitor's own click: the library never asks by itself.
        <button type="button" onClick={() => attention.requestNotifications()}>
          Notify me of replies
        </button>
      )}
      <button type="button" onClick={() => chat.send('Hello!')}>
        Say hello
      </button>
    </section>
  )
}
