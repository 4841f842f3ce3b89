import type { ChatClient, RequestOptions } from 'socialboards-chat-react'

/** Every client method, with a valid call, for the table-driven fault suite. */
export interface Endpoint {
  name: string
  method: 'GET' | 'POST' | 'PATCH'
  path: RegExp
  call: (client: ChatClient, options?: RequestOptions) => Promise<unknown>
}

export const endpoints: Endpoint[] = [
  {
    name: 'createConversation',
    method: 'POST',
    path: /^chat\/conversations$/,
    call: (client, options) =>
      client.createConversation({ author: { name: 'John', email: 'john@dow.com' }, title: 'Help' }, options),
  },
]
