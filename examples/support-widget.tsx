'use client' // Next.js (App Router): a component with state and effects is client code

import { type FormEvent, useEffect, useState } from 'react'
import { describeError, useChatAnnouncer, useChatSession } from 'socialboards-chat-react'

/** A short beep with no sound file to ship (browsers allow it once the visitor has clicked on the page). */
function ding() {
  try {
    const audio = new AudioContext()
    const tone = audio.createOscillator()
    tone.connect(audio.destination)
    tone.onended = () => void audio.close()
    tone.start()
    tone.stop(audio.currentTime + 0.15)
  } catch {
    // No Web Audio here (an old browser, a test): no sound.
  }
}

export function SupportWidget() {
  const [open, setOpen] = useState(false)
  // No author: an anonymous visitor, given a generated customIdentifier kept in storage.
  const chat = useChatSession({
    trackPages: true, // the page the chat starts on, then each navigation while it is open
    onMessage: (message) => (message.role === 'agent' ? ding() : undefined), // each agent reply, once
    onAgentJoined: () => console.info('An agent has joined'),
  })
  const { announcements } = useChatAnnouncer(chat) // what a screen reader is told: each reply, once
  const { unreadCount, markSeen } = chat
  useEffect(() => {
    if (open && unreadCount > 0) markSeen() // seen in this tab is seen in every tab, and after a reload
  }, [open, unreadCount, markSeen])

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    chat.send(String(new FormData(event.currentTarget).get('text')))
    event.currentTarget.reset()
  }
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Chat{unreadCount ? ` (${unreadCount} new)` : ''}
      </button>
    )
  return (
    <section>
      {chat.hasOlder && (
        <button type="button" onClick={() => chat.loadOlder()}>
          Older messages
        </button>
      )}
      <ol role="log" aria-label="Messages" aria-live="off">
        {chat.messages.map((m) => (
          <li key={m.key} className={m.role /* visitor, agent or bot */}>
            {m.message} {m.status === 'pending' && '…'}
            {m.status === 'failed' && (
              <button type="button" onClick={() => chat.retry(m.localId as number)}>
                Not sent ({describeError(m.error)}): retry
              </button>
            )}
          </li>
        ))}
      </ol>
      <div aria-live="polite" className="visually-hidden">
        {announcements.map((item) => (
          <p key={item.id}>{item.text}</p>
        ))}
      </div>
      {chat.status === 'with-bot' && (
        <button type="button" onClick={() => chat.requestHuman()}>
          Talk to a human
        </button>
      )}
      <form onSubmit={submit}>
        <input name="text" aria-label="Message" />
      </form>
    </section>
  )
}
