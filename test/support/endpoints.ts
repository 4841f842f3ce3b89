import type { ChatClient, RequestOptions } from 'socialboards-chat-react'

/** The conversation every endpoint row works on: the first one the mock creates. */
export const CONVERSATION_ID = 254626

/** Every client method, with a valid call, for the table-driven fault suite. */
export interface Endpoint {
  name: string
  method: 'GET' | 'POST' | 'PATCH'
  path: RegExp
  call: (client: ChatClient, options?: RequestOptions) => Promise<unknown>
  /** The reference does not document this endpoint's answer: any success envelope is accepted. */
  unknownResponse?: true
}

const author = { name: 'John', email: 'john@dow.com' }
const id = CONVERSATION_ID

export const endpoints: Endpoint[] = [
  {
    name: 'createConversation',
    method: 'POST',
    path: /^chat\/conversations$/,
    call: (client, options) => client.createConversation({ author, title: 'Help' }, options),
  },
  {
    name: 'getConversation',
    method: 'GET',
    path: /^chat\/conversations\/\d+$/,
    call: (client, options) => client.getConversation(id, { includeMessages: true, ...options }),
  },
  {
    name: 'listMessages',
    method: 'GET',
    path: /^chat\/conversations\/\d+\/messages$/,
    call: (client, options) => client.listMessages(id, { take: 10, ...options }),
  },
  {
    name: 'addMessages',
    method: 'POST',
    path: /^chat\/conversations\/\d+\/messages$/,
    call: (client, options) => client.addMessages(id, [{ message: 'Hello', author }], options),
  },
  {
    name: 'addMessageContext',
    method: 'POST',
    path: /^chat\/conversations\/\d+\/previousMessages$/,
    call: (client, options) =>
      client.addMessageContext(
        id,
        [{ message: 'Earlier', author, creationTime: '2023-10-19T10:00:58.84+00:00' }],
        options,
      ),
  },
  {
    name: 'getTakeover',
    method: 'GET',
    path: /^chat\/conversations\/\d+\/takeover$/,
    call: (client, options) => client.getTakeover(id, options),
  },
  {
    name: 'changeTakeover',
    method: 'PATCH',
    path: /^chat\/conversations\/\d+\/takeover$/,
    call: (client, options) => client.changeTakeover(id, { isAssignedToBot: false }, options),
  },
  {
    name: 'updateFeedback',
    method: 'PATCH',
    path: /^chat\/conversations\/\d+\/feedback$/,
    call: (client, options) => client.updateFeedback(id, { isPositive: true, text: 'Thanks' }, options),
  },
  {
    name: 'updateLatestUrl',
    method: 'PATCH',
    path: /^chat\/conversations\/\d+\/latestUrl$/,
    call: (client, options) => client.updateLatestUrl(id, 'https://shop.example/cart', options),
    unknownResponse: true,
  },
  {
    name: 'closeConversation',
    method: 'PATCH',
    path: /^chat\/conversations\/\d+\/close$/,
    call: (client, options) => client.closeConversation(id, options),
    unknownResponse: true,
  },
]
