// app/api/chat/[...path]/route.ts in Next.js; any server that speaks Request/Response works the same way.
import { createChatHandler } from 'socialboards-chat-react/server'

const handler = createChatHandler({
  apiBaseURL: process.env.CHAT_API_URL as string, // your account's Chat API base URL
  clientId: process.env.SOCIALBOARDS_CLIENT_ID as string,
  refreshToken: process.env.SOCIALBOARDS_REFRESH_TOKEN as string, // never leaves this server
  secret: process.env.CHAT_COOKIE_SECRET as string, // 32+ random characters: signs visitor cookies
  // Budgets count per client address, and a Request carries none: name the header your platform sets and clients
  // cannot forge (Vercel: x-real-ip). Bare `next start` has none (it passes a client's X-Forwarded-For unchanged):
  // put your own proxy in front and set trustProxy instead.
  clientAddress: (request) => request.headers.get('x-real-ip') ?? undefined,
})

export const GET = handler.fetch
export const POST = handler.fetch
export const PATCH = handler.fetch
export const DELETE = handler.fetch // sign-out: DELETE /api/chat/visitor
