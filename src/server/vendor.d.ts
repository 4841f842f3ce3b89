// Types for the deep import of rate-limiter-flexible's Redis limiter: the package types only its index.
declare module 'rate-limiter-flexible/lib/RateLimiterRedis.js' {
  import { RateLimiterRedis } from 'rate-limiter-flexible'
  export default RateLimiterRedis
}
