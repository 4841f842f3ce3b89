import { announcerMessagesEn, announcerMessagesNb, ChatApiError } from 'socialboards-chat-react'
import { describe, expect, it } from 'vitest'
import {
  announcerWords,
  issueText,
  stateWords,
  visitorText,
  type WidgetLabels,
  type WidgetState,
  widgetLabels,
  widgetLabelsEn,
  widgetLabelsNb,
} from '../../examples/widget'

// The reference widget's own words (#24): one catalog per language, chosen by the same `locale` as errors and
// announcements, so a Norwegian visitor reads no English label.

/** Every text of a label catalog, by its path; a function label is called with sample values. */
function texts(labels: WidgetLabels): Map<string, string> {
  const found = new Map<string, string>()
  const samples: unknown[][] = [[null], [1], [3], [0.5], [12], ['Anna'], ['ada@example.com']]
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') found.set(path, value)
    else if (typeof value === 'function')
      samples.forEach((args, index) => {
        const text = (value as (...values: unknown[]) => unknown)(...args)
        walk(text, `${path}(${index})`)
      })
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`)
  }
  const { dateLocale: _tag, ...words } = labels
  walk(words, '')
  return found
}

const STATES: WidgetState[] = [
  { kind: 'welcome', previousEnded: false },
  { kind: 'welcome', previousEnded: true },
  { kind: 'starting' },
  { kind: 'resuming' },
  { kind: 'queued', position: null, waitMinutes: null },
  { kind: 'queued', position: 1, waitMinutes: 0.5 },
  { kind: 'queued', position: 3, waitMinutes: 9 },
  { kind: 'bot' },
  { kind: 'agent', agentName: 'Anna' },
  { kind: 'agent', agentName: null },
  { kind: 'closed', feedback: null },
  { kind: 'offline' },
  { kind: 'left', email: 'ada@example.com' },
  { kind: 'left', email: null },
  { kind: 'error', error: new ChatApiError('network', 'fetch failed'), canRetry: true },
  { kind: 'error', error: new ChatApiError('network', 'fetch failed'), canRetry: false },
]

describe('the widget in two languages', () => {
  it('chooses the catalog by locale: a tag, a regional tag, a list in order, else English', () => {
    expect(widgetLabels('nb')).toBe(widgetLabelsNb)
    expect(widgetLabels('nb-NO')).toBe(widgetLabelsNb)
    expect(widgetLabels('no')).toBe(widgetLabelsNb)
    expect(widgetLabels(['de-DE', 'nb', 'en'])).toBe(widgetLabelsNb)
    expect(widgetLabels(['en-GB', 'nb'])).toBe(widgetLabelsEn)
    expect(widgetLabels('de')).toBe(widgetLabelsEn)
    expect(widgetLabels(undefined)).toBe(widgetLabelsEn)
    expect(announcerWords(['de', 'nb-NO'])).toBe(announcerMessagesNb)
    expect(announcerWords('fr')).toBe(announcerMessagesEn)
  })

  it('has every label in Norwegian: none left in English (but the words both languages share)', () => {
    const english = texts(widgetLabelsEn)
    const norwegian = texts(widgetLabelsNb)
    expect([...norwegian.keys()]).toEqual([...english.keys()])
    const same = [...norwegian].filter(([path, text]) => english.get(path) === text).map(([path]) => path)
    // "Send" and "Bot" are Norwegian words too.
    expect(same).toEqual(['.log.botTag', '.composer.send'])
    for (const [path, text] of norwegian) expect(text.trim(), path).not.toBe('')
  })

  it('says every state in the chosen language', () => {
    for (const state of STATES) {
      const en = stateWords(state)
      const nb = stateWords(state, 'nb')
      expect(nb.headline, state.kind).not.toBe(en.headline)
      expect(nb.detail, state.kind).not.toBe(en.detail)
      expect(`${nb.headline} ${nb.detail}`, state.kind).not.toMatch(/undefined|null|NaN|\[object/)
    }
    expect(stateWords({ kind: 'queued', position: 3, waitMinutes: 9 }, 'nb')).toEqual({
      headline: 'Du er nummer 3 i køen',
      detail: 'Beregnet ventetid: omtrent 9 minutter.',
    })
    expect(stateWords(STATES[14] as WidgetState, 'nb').detail).toBe(
      'Vi får ikke kontakt med chatten. Sjekk nettforbindelsen og prøv igjen.',
    )
  })

  it("speaks errors and field problems in the same language as the labels (describeError's, describeIssue's)", () => {
    const error = new ChatApiError('network', 'fetch failed')
    expect(visitorText(error, 'nb')).toBe('Vi får ikke kontakt med chatten. Sjekk nettforbindelsen og prøv igjen.')
    expect(issueText({ path: 'author.email', code: 'required' })).toBe('Please enter your email address.')
    expect(issueText({ path: 'author.email', code: 'required' }, 'nb')).toBe('Skriv inn e-postadressen din.')
  })
})
