// The create endpoint in the shape openapi-typescript generates, for the openapi-fetch peer.
export interface Envelope<T> {
  data: T | null
  errorCode: number
  errorText: string | null
}
export interface CreateInput {
  author: { name?: string; email?: string; id?: string; customIdentifier?: string }
  title?: string
  url?: string
}
export interface Conversation {
  id: number
  isClosed: boolean
  totalMessagesCount: number
  queuePositionInfo?: { position: number; waitTime: number | null } | null
}
export interface paths {
  '/chat/conversations': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never }
    get?: never
    put?: never
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never }
      requestBody: { content: { 'application/json': CreateInput } }
      responses: {
        200: { headers: Record<string, unknown>; content: { 'application/json': Envelope<Conversation> } }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}
