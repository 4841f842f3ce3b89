import { type FormEvent, useId, useMemo, useState } from 'react'
import {
  type Availability,
  announcerMessagesEn,
  announcerMessagesNb,
  createMemoryStorage,
  isAvailable,
  nextClosing,
  nextOpening,
  useChatAnnouncer,
  useChatAttention,
  useChatSession,
  type WeeklySchedule,
} from 'socialboards-chat-react'

const visitor = { name: 'Ada', email: 'ada@example.com' }
const statusText = {
  idle: 'Ask us anything.',
  starting: 'Starting your chat…',
  resuming: 'Picking up where you left off…',
  queued: 'Waiting for an agent.',
  'with-bot': 'You are chatting with our bot.',
  'with-agent': 'You are chatting with an agent.',
  closed: 'This chat has ended.',
  error: 'Something went wrong. Please try again.',
  offline: 'We are away. Leave your email and we will reply.',
}

/**
 * A chat a screen reader can follow: the messages are a `role="log"` list, and a polite live
 * region, fed by `useChatAnnouncer`, says each agent reply and status change once. The region is
 * shown here (normally it is visually hidden) so you can see what a screen reader is told.
 * `useChatAttention` badges the tab's title while it is hidden.
 */
export function HeardChat({
  pollInterval = 400,
  language = 'en',
  sound,
}: {
  pollInterval?: number
  language?: 'en' | 'nb'
  sound?: string
}) {
  const storage = useMemo(() => createMemoryStorage(), [])
  const chat = useChatSession({ author: visitor, storage, pollInterval, conversation: { title: 'Website chat' } })
  const words = language === 'nb' ? announcerMessagesNb : announcerMessagesEn
  const { announcements } = useChatAnnouncer(chat, { messages: words })
  const attention = useChatAttention(chat, { sound, messages: words })
  const [draft, setDraft] = useState('')
  const draftId = useId()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!draft.trim()) return
    chat.send(draft)
    setDraft('')
  }
  return (
    <section className="card chat" aria-label="Support chat">
      <h2>Support</h2>
      <p className="queue">{statusText[chat.status]}</p>
      <div role="log" aria-label="Messages">
        <ol className="messages">
          {chat.messages.map((message) => (
            <li key={message.key} className={message.role === 'visitor' ? 'mine' : 'theirs'}>
              <span className="author">{message.role === 'visitor' ? 'You' : (message.author.name ?? 'Support')}</span>
              <span className="text">{message.message}</span>
            </li>
          ))}
        </ol>
      </div>
      <form onSubmit={submit} className="composer">
        <label htmlFor={draftId}>Message</label>
        <input
          id={draftId}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          disabled={chat.status === 'closed'}
        />
        <button type="submit" disabled={chat.status === 'closed'}>
          Send
        </button>
      </form>
      {chat.status !== 'closed' && chat.conversationId !== undefined ? (
        <button type="button" onClick={() => chat.close().catch(() => {})}>
          End chat
        </button>
      ) : null}
      {attention.notificationPermission === 'default' ? (
        <button type="button" onClick={() => attention.requestNotifications()}>
          Notify me of replies
        </button>
      ) : null}
      <h3>What a screen reader is told</h3>
      <div aria-live="polite" className="announcer" data-testid="live-region">
        {announcements.map((item) => (
          <p key={item.id}>{item.text}</p>
        ))}
      </div>
      <p>
        Unread while the tab was hidden: <output data-testid="hidden-count">{attention.count}</output>
      </p>
    </section>
  )
}

/** An office schedule in Oslo, with a night shift on Fridays that runs past midnight, and Christmas off. */
export const OSLO_OFFICE: WeeklySchedule = {
  timeZone: 'Europe/Oslo',
  hours: {
    monday: [{ from: '09:00', to: '17:00' }],
    tuesday: [{ from: '09:00', to: '17:00' }],
    wednesday: [{ from: '09:00', to: '17:00' }],
    thursday: [{ from: '09:00', to: '17:00' }],
    friday: [
      { from: '09:00', to: '15:00' },
      { from: '22:00', to: '02:00' },
    ],
  },
  holidays: ['2026-12-24', '2026-12-25'],
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

/**
 * A schedule preview: the weekly hours as the app gives them (in the office's time zone), whether
 * the chat is open at a chosen moment, and when it opens or closes next, in the visitor's own zone.
 */
export function SchedulePreview({
  schedule = OSLO_OFFICE,
  at = '2026-12-23T16:30:00Z',
  visitorTimeZone = 'America/New_York',
}: {
  schedule?: Availability
  at?: string
  visitorTimeZone?: string
}) {
  const [moment, setMoment] = useState(at)
  const momentId = useId()
  const now = new Date(moment)
  const valid = !Number.isNaN(now.getTime())
  const format = (date: Date | null, timeZone: string) =>
    date
      ? new Intl.DateTimeFormat('en-GB', {
          timeZone,
          weekday: 'long',
          day: 'numeric',
          month: 'long',
          hour: '2-digit',
          minute: '2-digit',
          timeZoneName: 'shortOffset',
        }).format(date)
      : 'not within a year'
  const open = valid && isAvailable(schedule, now)
  const change = valid ? (open ? nextClosing(schedule, now) : nextOpening(schedule, now)) : null
  const zone = typeof schedule === 'function' ? visitorTimeZone : schedule.timeZone
  return (
    <section className="card" aria-label="Opening hours">
      <h2>Opening hours</h2>
      {typeof schedule !== 'function' ? (
        <table>
          <caption>Weekly hours ({schedule.timeZone})</caption>
          <tbody>
            {DAYS.map((day) => (
              <tr key={day}>
                <th scope="row">{day[0]?.toUpperCase() + day.slice(1)}</th>
                <td>
                  {schedule.hours[day]?.length
                    ? schedule.hours[day]?.map((stretch) => `${stretch.from}–${stretch.to}`).join(', ')
                    : 'Closed'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {typeof schedule !== 'function' && schedule.holidays?.length ? (
        <p>Closed on {schedule.holidays.join(', ')}.</p>
      ) : null}
      <label htmlFor={momentId}>Moment (UTC, ISO)</label>{' '}
      <input id={momentId} value={moment} onChange={(event) => setMoment(event.target.value)} />
      <p role="status" data-testid="availability">
        {!valid
          ? 'Enter a moment like 2026-12-23T16:30:00Z.'
          : open
            ? `We're open. We close ${format(change, visitorTimeZone)} (your time).`
            : `We're away. We'll be back ${format(change, visitorTimeZone)} (your time), ${format(change, zone)} at the office.`}
      </p>
    </section>
  )
}
