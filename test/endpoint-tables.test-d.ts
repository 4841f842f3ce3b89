// A new endpoint must be served everywhere: leaving it out of a table does not compile.
import { describe, expectTypeOf, it } from 'vitest'
import type { EndpointName } from '../src/core/endpoints'
import type { EndpointPolicy } from '../src/core/endpoints/endpoint'
import type { MockHandlers } from '../src/mock/store'
import type { ChatKeyTable } from '../src/react/provider/keys'

const key = (id: number | undefined) => ['socialboards-chat', 'conversation', id] as const
const handler = () => undefined
const policy: EndpointPolicy = { body: 'refused' }

describe('endpoint tables', () => {
  it('the list gives every endpoint name', () => {
    expectTypeOf<'changeTakeover'>().toExtend<EndpointName>()
    expectTypeOf<'getTakeover'>().toExtend<EndpointName>()
  })

  it('the mock needs a handler for every endpoint', () => {
    // @ts-expect-error: changeTakeover has no handler
    const missing: MockHandlers = {
      createConversation: handler,
      getConversation: handler,
      listMessages: handler,
      addMessages: handler,
      addMessageContext: handler,
      getTakeover: handler,
      updateFeedback: handler,
      updateLatestUrl: handler,
      closeConversation: handler,
    }
    expectTypeOf(missing).toBeObject()
  })

  it('chatKeys needs a key for every endpoint', () => {
    // @ts-expect-error: changeTakeover has no key
    const missing: ChatKeyTable = {
      all: ['socialboards-chat'],
      conversations: () => ['socialboards-chat', 'conversation'],
      conversation: key,
      messages: key,
      takeover: key,
      createConversation: key,
      addMessages: key,
      addMessageContext: key,
      updateFeedback: key,
      updateLatestUrl: key,
      closeConversation: key,
    }
    expectTypeOf(missing).toBeObject()
  })

  it('the proxy needs a visitor policy for every endpoint', () => {
    // @ts-expect-error: changeTakeover has no policy
    const missing: { [K in EndpointName]: EndpointPolicy } = {
      createConversation: policy,
      getConversation: policy,
      listMessages: policy,
      addMessages: policy,
      addMessageContext: policy,
      getTakeover: policy,
      updateFeedback: policy,
      updateLatestUrl: policy,
      closeConversation: policy,
    }
    expectTypeOf(missing).toBeObject()
  })
})
