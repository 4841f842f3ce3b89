'use client'
import { type FormEvent, useState } from 'react'
import { type Availability, describeError, useChatSession, type WeeklySchedule } from 'socialboards-chat-react'

const day = [{ from: '09:00', to: '17:00' }]
/** Weekdays 09:00–17:00 Oslo time (summer and winter alike), closed on two holidays. */
const openingHours: WeeklySchedule = {
  timeZone: 'Europe/Oslo',
  hours: { monday: day, tuesday: day, wednesday: day, thursday: day, friday: day },
  holidays: ['2026-12-24', '2026-12-25'],
}

/** A chat that becomes "leave us a message" outside opening hours. */
export function OpeningHoursChat({ availability = openingHours }: { availability?: Availability }) {
  const [email, setEmail] = useState('')
  const [text, setText] = useState('')
  const [problem, setProblem] = useState('')
  // The email field is the author's: the session has it by the time the visitor presses Send.
  const chat = useChatSession({ author: { email: email.trim() || undefined }, availability })
  const send = (event: FormEvent) => {
    event.preventDefault()
    try {
      chat.send(text) // while 'offline', without an email: throws a validation error and sends nothing
      setText('')
      setProblem('')
    } catch (error) {
      setProblem(describeError(error)) // "Please enter your email address."
    }
  }
  const opens = chat.availability.nextOpening
  return (
    <form onSubmit={send}>
      {chat.status === 'offline' ? (
        <>
          <p>
            We are away{opens ? ` until ${opens.toLocaleString()}` : ''}. Leave your email and a message, and we will
            reply by email.
          </p>
          <label>
            Email <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} />
          </label>
        </>
      ) : (
        <ol role="log" aria-label="Messages">
          {chat.messages.map((m) => (
            <li key={m.key}>{m.message}</li>
          ))}
        </ol>
      )}
      {chat.availability.repliesByEmail && <p role="status">Thanks! Our reply will come to your email.</p>}
      <label>
        Message <textarea value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      {problem && <p role="alert">{problem}</p>}
      <button type="submit">Send</button>
    </form>
  )
}
