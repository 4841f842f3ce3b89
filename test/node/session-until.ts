import type { ChatSessionState, ChatSessionStore } from 'socialboards-chat-react/core'

/** Resolves once `condition` holds for the session's state (checked on every change); fails after 10 s. */
export function until(session: ChatSessionStore, condition: (state: ChatSessionState) => boolean, what: string) {
  return new Promise<ChatSessionState>((resolve, reject) => {
    const check = () => {
      const state = session.getSnapshot()
      if (!condition(state)) return
      unsubscribe()
      clearTimeout(timer)
      resolve(state)
    }
    const unsubscribe = session.subscribe(check)
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`still waiting: ${what} (status ${session.getSnapshot().status})`))
    }, 10_000)
    check()
  })
}
