// Peer: LiveChat's customer SDK, a whole visitor chat client over a websocket (no React), as an app imports it.
export * from '@livechat/customer-sdk'
