// Several instances behind a load balancer: budgets, idempotency keys and realtime hints shared through Redis.
import { createChatHandler } from 'socialboards-chat-react/server'
import {
  createRedisEventBus,
  createRedisIdempotencyStore,
  createRedisRateLimiter,
} from 'socialboards-chat-react/server/redis'

const url = process.env.REDIS_URL as string

export const handler = createChatHandler({
  apiBaseURL: process.env.CHAT_API_URL as string,
  clientId: process.env.SOCIALBOARDS_CLIENT_ID as string,
  refreshToken: process.env.SOCIALBOARDS_REFRESH_TOKEN as string,
  secret: process.env.CHAT_COOKIE_SECRET as string, // the same on every instance
  origin: 'https://shop.example.com', // the site whose pages may write
  trustProxy: true, // behind your own load balancer, which sets X-Forwarded-For
  events: await createRedisEventBus({ url }),
  rateLimiter: await createRedisRateLimiter({ url }),
  idempotency: await createRedisIdempotencyStore({ url }),
  webhook: { verifyToken: process.env.SOCIALBOARDS_WEBHOOK_TOKEN as string, path: 'webhooks/your-secret-segment' },
})
