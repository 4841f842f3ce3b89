// The announcer's words in Norwegian Bokmål: a module of its own, so apps that do not use it do not ship it.
import type { AnnouncerMessages } from './announcer'

/** The announcer's and notifications' words in Norwegian Bokmål (`nb`). */
export const announcerMessagesNb: AnnouncerMessages = {
  agentMessage: (text, name) => `${name ?? 'Kundebehandler'} skriver: ${text}`,
  botMessage: (text, name) => `${name ?? 'Bot'} (bot) skriver: ${text}`,
  manyMessages: (count) => `${count} nye meldinger.`,
  agentJoined: () => 'En kundebehandler har blitt med i chatten.',
  closed: () => 'Chatten er avsluttet.',
  notificationTitle: (count, name) =>
    count > 1 ? `${count} nye meldinger` : name ? `Ny melding fra ${name}` : 'Ny melding',
}
