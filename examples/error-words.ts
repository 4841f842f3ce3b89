import {
  describeError,
  type ErrorCatalog,
  errorCatalogEn,
  errorCatalogNb,
  isChatApiError,
} from 'socialboards-chat-react/core'

// Your wording: start from a built-in catalog and change what you like. A catalog must have a text
// for every code (error codes and issue codes): leaving one out does not compile.
const english: ErrorCatalog = {
  ...errorCatalogEn,
  errors: { ...errorCatalogEn.errors, network: 'You seem to be offline. Your message waits until you are back.' },
}

/** What to show the visitor, in the first of their languages that has a catalog (English otherwise). */
export function errorText(error: unknown, languages: readonly string[] = ['en']): string {
  return describeError(error, { locale: languages, messages: { en: english, nb: errorCatalogNb } })
}

/** A closed chat offers a new one; the code, not the words, decides. */
export const offersNewChat = (error: unknown) => isChatApiError(error) && error.code === 'conversation-closed'
