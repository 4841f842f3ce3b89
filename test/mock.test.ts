import { createChatClient } from 'socialboards-chat-react'
import { MOCK_BOT, MOCK_ERROR_CODES } from 'socialboards-chat-react/mock'
import { describe, expect, it } from 'vitest'
import { api, baseURL, token } from './support/mock-server'

const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${baseURL}chat/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: await response.json().catch(() => null) }))

const client = () => createChatClient({ baseURL, accessToken: token })

describe('mock Chat API', () => {
  it('answers 401 without the configured bearer token and keeps no Authorization header', async () => {
    const answer = await post({ author: { email: 'a@b.co' } }, { authorization: 'Bearer wrong' })
    expect(answer).toEqual({
      status: 401,
      body: { data: null, errorCode: MOCK_ERROR_CODES.unauthorized, errorText: 'Missing or invalid access token' },
    })
    expect(JSON.stringify(api.requests)).not.toContain('wrong')
    expect(api.conversations()).toHaveLength(0)
  })

  it('answers a broken rule with an error envelope on HTTP 200 and stores nothing', async () => {
    const answer = await post({ author: { name: 'x' }, url: 'nope' })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ data: null, errorCode: MOCK_ERROR_CODES.validation })
    expect(answer.body.errorText).toContain('url must be an absolute http(s) URL')
    expect(api.conversations()).toHaveLength(0)
  })

  it('answers 404 for a path it does not know', async () => {
    const response = await fetch(`${baseURL}chat/unknown`, { headers: { authorization: `Bearer ${token}` } })
    expect(response.status).toBe(404)
  })

  it('finds users by id, then email, then normalised customIdentifier, as documented', async () => {
    const chat = client()
    const first = await chat.createConversation({ author: { email: 'john@dow.com' } })
    const byEmail = await chat.createConversation({ author: { email: 'JOHN@dow.com', customIdentifier: ' Cus-1 ' } })
    const byCustom = await chat.createConversation({ author: { customIdentifier: 'CUS-1' } })
    const byId = await chat.createConversation({ author: { id: first.author.id, email: 'other@dow.com' } })
    expect(new Set([first, byEmail, byCustom, byId].map((c) => c.author.id)).size).toBe(1)
    expect(byCustom.author.customIdentifier).toBe('cus-1')
    expect(api.users()).toHaveLength(1)
  })

  it('uses the system bot for a bot author and marks bot conversations', async () => {
    const conversation = await client().createConversation({ author: { isBot: true }, isBotEnabled: true })
    expect(conversation.author).toEqual(MOCK_BOT)
    expect(conversation.isTakeoverEnabled).toBe(false)
  })

  it('applies faults in order, only to matching requests, and after processing when asked', async () => {
    const chat = client()
    api.inject({ type: 'status', status: 500, match: { method: 'GET' } })
    api.inject({ type: 'network', after: true })
    await expect(chat.createConversation({ author: { email: 'a@b.co' } })).rejects.toMatchObject({ kind: 'network' })
    expect(api.conversations()).toHaveLength(1)
    const response = await fetch(`${baseURL}chat/unknown`, { headers: { authorization: `Bearer ${token}` } })
    expect(response.status).toBe(500)
  })

  it('forgets everything on reset', async () => {
    await client().createConversation({ author: { email: 'a@b.co' } })
    api.inject({ type: 'network' })
    api.setAccessToken('changed')
    api.reset()
    expect(api.conversations()).toEqual([])
    expect(api.requests).toEqual([])
    const again = await client().createConversation({ author: { email: 'a@b.co' } })
    expect(again.id).toBe(254626)
    expect(again.queuePositionInfo).toEqual({ position: 1, waitTime: 3 })
  })
})
