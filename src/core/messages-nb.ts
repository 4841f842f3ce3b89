// Norwegian Bokmål texts for visitors: a separate, tree-shakable import (only apps that use it pay for it).
import type { ErrorCatalog, IssueTextValues } from './describe'

const upper = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** `"5 sekunder"`, `"1 minutt"`: a wait as a visitor reads it. */
const wait = (seconds: number) => {
  if (seconds < 90) return `${seconds} ${seconds === 1 ? 'sekund' : 'sekunder'}`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} ${minutes === 1 ? 'minutt' : 'minutter'}`
}

const range = ({ min, max }: IssueTextValues) =>
  min !== undefined && max !== undefined
    ? ` fra ${min} til ${max}`
    : min !== undefined
      ? ` på minst ${min}`
      : max !== undefined
        ? ` på høyst ${max}`
        : ''

const unreadable = ({ field }: IssueTextValues) => `Vi kunne ikke lese ${field}.`
const format = ({ field }: IssueTextValues) => `${upper(field)} har feil format.`
const signIn = 'Vi kunne ikke logge deg inn i chatten. Last inn siden på nytt og prøv igjen.'

/**
 * Norwegian Bokmål (`nb`): `describeError(error, { locale: 'nb', messages: { nb: errorCatalogNb } })`.
 * The field names are in the form the sentences need (`"e-postadressen din"`).
 */
export const errorCatalogNb: ErrorCatalog = {
  errors: {
    'invalid-input': 'Noe av det du skrev, ble ikke godtatt. Sjekk det og prøv igjen.',
    network: 'Vi får ikke kontakt med chatten. Sjekk nettforbindelsen og prøv igjen.',
    timeout: 'Chatten bruker for lang tid på å svare. Prøv igjen.',
    aborted: 'Dette ble avbrutt.',
    unauthorized: signIn,
    forbidden: 'Denne samtalen kan ikke åpnes her. Start en ny chat.',
    'not-found': 'Vi finner ikke denne samtalen. Start en ny chat.',
    'no-conversation': 'Det finnes ingen chat ennå. Skriv en melding for å starte en.',
    'conversation-closed': 'Denne chatten er avsluttet. Start en ny chat for å skrive til oss igjen.',
    conflict: 'Det går ikke akkurat nå. Prøv igjen om et øyeblikk.',
    'too-large': 'Det er for mye å sende på én gang. Send en kortere melding.',
    'rate-limited': ({ retryAfter }) =>
      `Det går litt fort. Vent ${retryAfter ? wait(retryAfter) : 'litt'} og prøv igjen.`,
    refused: 'Chatten kunne ikke ta imot dette. Prøv igjen senere.',
    unavailable: ({ retryAfter }) =>
      `Chatten er ikke tilgjengelig akkurat nå. Prøv igjen om ${retryAfter ? wait(retryAfter) : 'noen minutter'}.`,
    'server-error': 'Noe gikk galt hos oss. Prøv igjen om et øyeblikk.',
    'unexpected-response': 'Vi fikk et svar vi ikke kunne lese. Prøv igjen.',
  },
  issues: {
    required: ({ field }) => `Skriv inn ${field}.`,
    blank: ({ field }) => `Skriv inn ${field}. Feltet kan ikke stå tomt.`,
    string: ({ field }) => `${upper(field)} må være tekst.`,
    boolean: ({ field }) => `Velg ja eller nei for ${field}.`,
    integer: (values) => `${upper(values.field)} må være et heltall${range(values)}.`,
    object: unreadable,
    array: unreadable,
    'too-long': ({ field, max }) => `${upper(field)} har for mange tegn${max ? ` (høyst ${max})` : ''}.`,
    email: 'Skriv inn en e-postadresse som navn@eksempel.no.',
    url: ({ field }) => `${upper(field)} må være en fullstendig nettadresse.`,
    guid: format,
    date: ({ field }) => `${upper(field)} må være en dato og et klokkeslett.`,
    future: 'Klokken på enheten din ser ut til å gå for fort. Sjekk den og prøv igjen.',
    'one-of': ({ field }) => `Velg en av de tilgjengelige verdiene for ${field}.`,
    identifier: 'Skriv inn e-postadressen din, så vi kan nå deg.',
    json: ({ field }) => `Vi kunne ikke sende ${field}.`,
    unreadable,
    token: signIn,
    format,
  },
  fields: {
    name: 'navnet ditt',
    email: 'e-postadressen din',
    message: 'meldingen din',
    title: 'emnet',
    author: 'kontaktopplysningene dine',
  },
  unknown: 'Noe gikk galt. Prøv igjen.',
}
