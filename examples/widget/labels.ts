// Every label the widget shows, by language: a small catalog you extend (errors come from describeError's catalogs,
// what a screen reader is told from the announcer's). Add a language by adding a catalog to LABELS.

/** The visitor's language: a tag (`'nb'`, `'en-GB'`) or several in order of preference (`navigator.languages`). */
export type WidgetLocale = string | readonly string[]

/** A state's headline and the line under it. */
export interface HeadlineAndDetail {
  headline: string
  detail: string
}

/** Every word the widget's own pieces show (the launcher, the panel, the log, the forms, the history). */
export interface WidgetLabels {
  /** The tag dates and times are written in (`toLocaleTimeString`); `undefined`: the browser's own. */
  dateLocale: string | undefined
  launcher: {
    open: string
    close: string
    /** Said after the launcher's name while replies are unread: ", 2 new messages". */
    unread: (count: number) => string
  }
  panel: {
    /** The panel's heading unless the app names it. */
    title: string
    subtitle: string
    pastChats: string
    endChat: string
    minimise: string
    talkToPerson: string
    tryAgain: string
    /** Under a conversation left outside opening hours, once someone has picked it up. */
    repliesByEmail: string
    notifyMe: string
    notKept: string
    signOut: string
  }
  states: {
    welcome: HeadlineAndDetail
    /** The welcome after a chat that ended by itself (closed or gone). */
    welcomeAgain: HeadlineAndDetail
    starting: HeadlineAndDetail
    resuming: HeadlineAndDetail
    /** `position`: 1 is next; `null` when the server gives none. */
    queued: (position: number | null) => string
    /** `minutes`: the server's estimate; `null` when it gives none. */
    wait: (minutes: number | null) => string
    bot: HeadlineAndDetail
    agentJoined: (agentName: string | null) => string
    withAgent: string
    closed: HeadlineAndDetail
    offline: HeadlineAndDetail
    /** A message left outside opening hours, waiting for the team; `email`: where the reply goes, when known. */
    left: (email: string | null) => HeadlineAndDetail
    /** The start failed (the detail is the error in `describeError`'s words). */
    startFailed: string
    /** Reads fail while a conversation is held: the session keeps trying. */
    unreachable: HeadlineAndDetail
  }
  log: {
    label: string
    showEarlier: string
    loadingEarlier: string
    you: string
    assistant: string
    support: string
    botTag: string
    sending: string
    notSent: string
    retry: string
    remove: string
  }
  composer: { label: string; placeholder: string; send: string }
  ended: { thanks: string; question: string; yes: string; no: string; newChat: string }
  away: {
    name: string
    email: string
    message: string
    send: string
    sending: string
    sentHeadline: string
    sentDetail: (email: string) => string
  }
  history: {
    label: string
    empty: string
    untitled: string
    noMessages: string
    ended: string
    open: string
  }
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
function ordinal(place: number): string {
  const tens = place % 100
  if (tens >= 11 && tens <= 13) return `${place}th`
  return `${place}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[place % 10] ?? 'th'}`
}

/** English (the default). */
export const widgetLabelsEn: WidgetLabels = {
  dateLocale: undefined,
  launcher: {
    open: 'Chat with us',
    close: 'Close chat',
    unread: (count) => (count === 1 ? '1 new message' : `${count} new messages`),
  },
  panel: {
    title: 'Support',
    subtitle: 'We usually reply in minutes',
    pastChats: 'Past chats',
    endChat: 'End chat',
    minimise: 'Minimise chat',
    talkToPerson: 'Talk to a person',
    tryAgain: 'Try again',
    repliesByEmail: 'You left this message outside our opening hours: our reply will come to your email.',
    notifyMe: 'Notify me of replies',
    notKept: 'This device is not keeping the chat: reloading the page may lose unsent messages.',
    signOut: 'Sign out of chat',
  },
  states: {
    welcome: { headline: 'Hi! How can we help?', detail: 'Send us a message and we will connect you with our team.' },
    welcomeAgain: { headline: 'Your previous chat has ended', detail: 'Send a message to start a new one.' },
    starting: { headline: 'Starting your chat…', detail: 'This takes a moment.' },
    resuming: { headline: 'Picking up where you left off…', detail: 'Loading your conversation.' },
    queued: (position) =>
      position === null
        ? 'Waiting for the next available person'
        : position === 1
          ? 'You are next in line'
          : `You are ${ordinal(position)} in line`,
    wait: (minutes) =>
      minutes === null
        ? 'Someone from our team will be with you shortly.'
        : minutes < 1
          ? 'Estimated wait: under a minute.'
          : `Estimated wait: about ${Math.round(minutes)} ${Math.round(minutes) === 1 ? 'minute' : 'minutes'}.`,
    bot: {
      headline: 'You are chatting with our assistant',
      detail: 'It answers right away. Ask for a person whenever you like.',
    },
    agentJoined: (agentName) => (agentName ? `${agentName} joined the chat` : 'A member of our team joined the chat'),
    withAgent: 'You are talking to a person now.',
    closed: { headline: 'This chat has ended', detail: 'Thank you for chatting with us.' },
    offline: { headline: 'We are away right now', detail: 'Leave a message and we will reply by email.' },
    left: (email) => ({
      headline: 'Thanks, your message is with us',
      detail: email
        ? `We will reply to ${email} as soon as we are back.`
        : 'We will reply by email as soon as we are back.',
    }),
    startFailed: 'We could not start your chat',
    unreachable: {
      headline: 'We are having trouble reaching the chat',
      detail: 'We will keep trying. Your messages are safe here.',
    },
  },
  log: {
    label: 'Messages',
    showEarlier: 'Show earlier messages',
    loadingEarlier: 'Loading earlier messages…',
    you: 'You',
    assistant: 'Assistant',
    support: 'Support',
    botTag: 'Bot',
    sending: 'Sending…',
    notSent: 'Not sent.',
    retry: 'Retry',
    remove: 'Remove',
  },
  composer: { label: 'Message', placeholder: 'Write a message…', send: 'Send' },
  ended: {
    thanks: 'Thanks for your feedback.',
    question: 'Did we help?',
    yes: 'Yes',
    no: 'No',
    newChat: 'Start a new chat',
  },
  away: {
    name: 'Your name (optional)',
    email: 'Your email',
    message: 'Your message',
    send: 'Send message',
    sending: 'Sending…',
    sentHeadline: 'Thanks, your message is with us.',
    sentDetail: (email) => `We will reply to ${email} as soon as we are back.`,
  },
  history: {
    label: 'Your conversations',
    empty: 'No earlier chats yet.',
    untitled: 'Chat with support',
    noMessages: 'No messages',
    ended: 'Ended',
    open: 'Open',
  },
}

/** Norwegian Bokmål (`nb`, also chosen for `no`). */
export const widgetLabelsNb: WidgetLabels = {
  dateLocale: 'nb-NO',
  launcher: {
    open: 'Chat med oss',
    close: 'Lukk chatten',
    unread: (count) => (count === 1 ? '1 ny melding' : `${count} nye meldinger`),
  },
  panel: {
    title: 'Kundeservice',
    subtitle: 'Vi svarer vanligvis i løpet av noen minutter',
    pastChats: 'Tidligere chatter',
    endChat: 'Avslutt chatten',
    minimise: 'Minimer chatten',
    talkToPerson: 'Snakk med et menneske',
    tryAgain: 'Prøv igjen',
    repliesByEmail: 'Du la igjen denne meldingen utenfor åpningstiden vår: svaret kommer på e-post.',
    notifyMe: 'Varsle meg om svar',
    notKept:
      'Denne enheten tar ikke vare på chatten: laster du inn siden på nytt, kan meldinger som ikke er sendt, gå tapt.',
    signOut: 'Logg ut av chatten',
  },
  states: {
    welcome: {
      headline: 'Hei! Hva kan vi hjelpe deg med?',
      detail: 'Send oss en melding, så setter vi deg i kontakt med teamet vårt.',
    },
    welcomeAgain: { headline: 'Den forrige chatten din er avsluttet', detail: 'Send en melding for å starte en ny.' },
    starting: { headline: 'Starter chatten…', detail: 'Dette tar et øyeblikk.' },
    resuming: { headline: 'Fortsetter der du slapp…', detail: 'Henter samtalen din.' },
    queued: (position) =>
      position === null
        ? 'Venter på neste ledige medarbeider'
        : position === 1
          ? 'Du er neste i køen'
          : `Du er nummer ${position} i køen`,
    wait: (minutes) =>
      minutes === null
        ? 'Noen fra teamet vårt er snart hos deg.'
        : minutes < 1
          ? 'Beregnet ventetid: under ett minutt.'
          : `Beregnet ventetid: omtrent ${Math.round(minutes)} ${Math.round(minutes) === 1 ? 'minutt' : 'minutter'}.`,
    bot: {
      headline: 'Du chatter med assistenten vår',
      detail: 'Den svarer med en gang. Be om et menneske når du vil.',
    },
    agentJoined: (agentName) => (agentName ? `${agentName} ble med i chatten` : 'En fra teamet vårt ble med i chatten'),
    withAgent: 'Nå snakker du med et menneske.',
    closed: { headline: 'Denne chatten er avsluttet', detail: 'Takk for at du chattet med oss.' },
    offline: {
      headline: 'Vi er ikke til stede akkurat nå',
      detail: 'Legg igjen en melding, så svarer vi deg på e-post.',
    },
    left: (email) => ({
      headline: 'Takk, vi har fått meldingen din',
      detail: email
        ? `Vi svarer til ${email} så snart vi er tilbake.`
        : 'Vi svarer deg på e-post så snart vi er tilbake.',
    }),
    startFailed: 'Vi kunne ikke starte chatten',
    unreachable: {
      headline: 'Vi har problemer med å nå chatten',
      detail: 'Vi fortsetter å prøve. Meldingene dine er trygge her.',
    },
  },
  log: {
    label: 'Meldinger',
    showEarlier: 'Vis tidligere meldinger',
    loadingEarlier: 'Henter tidligere meldinger…',
    you: 'Du',
    assistant: 'Assistent',
    support: 'Kundeservice',
    botTag: 'Bot',
    sending: 'Sender…',
    notSent: 'Ikke sendt.',
    retry: 'Send på nytt',
    remove: 'Fjern',
  },
  composer: { label: 'Melding', placeholder: 'Skriv en melding…', send: 'Send' },
  ended: {
    thanks: 'Takk for tilbakemeldingen.',
    question: 'Fikk du hjelp?',
    yes: 'Ja',
    no: 'Nei',
    newChat: 'Start en ny chat',
  },
  away: {
    name: 'Navnet ditt (valgfritt)',
    email: 'E-postadressen din',
    message: 'Meldingen din',
    send: 'Send melding',
    sending: 'Sender…',
    sentHeadline: 'Takk, vi har fått meldingen din.',
    sentDetail: (email) => `Vi svarer til ${email} så snart vi er tilbake.`,
  },
  history: {
    label: 'Samtalene dine',
    empty: 'Ingen tidligere chatter ennå.',
    untitled: 'Chat med kundeservice',
    noMessages: 'Ingen meldinger',
    ended: 'Avsluttet',
    open: 'Åpen',
  },
}

/** The catalogs by language. Add yours here (and to `announcerWords` and `errorCatalogs` in words.ts). */
const LABELS: Readonly<Record<string, WidgetLabels>> = { en: widgetLabelsEn, nb: widgetLabelsNb, no: widgetLabelsNb }

/** The language `locale` chooses among `known`: the first tag whose language has one, else `'en'`. */
export function languageOf(
  locale: WidgetLocale | undefined,
  known: Readonly<Record<string, unknown>> = LABELS,
): string {
  for (const tag of typeof locale === 'string' ? [locale] : (locale ?? [])) {
    const language = tag.toLowerCase().split('-')[0] as string
    if (Object.hasOwn(known, language)) return language
  }
  return 'en'
}

/** The widget's labels in the visitor's language (the first of `locale` with a catalog, else English). */
export function widgetLabels(locale: WidgetLocale | undefined): WidgetLabels {
  return LABELS[languageOf(locale)] ?? widgetLabelsEn
}
