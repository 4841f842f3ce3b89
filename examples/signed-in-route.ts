// The chat route of an app whose users sign in: their chats follow them to any browser, and only them.
import { createChatHandler } from 'socialboards-chat-react/server'

/** Your app's own session: who is signed in on the browser that sent `request` (null: no one). */
declare function signedInUser(request: Request): Promise<{ id: string; name: string; email: string } | null>

const handler = createChatHandler({
  apiBaseURL: process.env.CHAT_API_URL as string,
  clientId: process.env.SOCIALBOARDS_CLIENT_ID as string,
  refreshToken: process.env.SOCIALBOARDS_REFRESH_TOKEN as string,
  secret: process.env.CHAT_COOKIE_SECRET as string,
  // The author of everything this user sends; the visitor cookie is bound to it, so after your
  // sign-out (or another user's sign-in) the old cookie opens nothing.
  resolveVisitor: signedInUser,
  // conversations: await createRedisConversationIndex({ url }) // behind several instances
})

export const GET = handler.fetch // GET /api/chat/visitor/conversations: the history
export const POST = handler.fetch
export const PATCH = handler.fetch
export const DELETE = handler.fetch // DELETE /api/chat/visitor: sign-out
