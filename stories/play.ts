import type { StoryContext } from '@storybook/react-vite'
import { waitFor } from 'storybook/test'
import type { ChatStoryLoaded } from '../.storybook/preview'

/** What a story's `play` function gets to look at the canvas and act like a person. */
export type Canvas = StoryContext['canvas']
export type User = StoryContext['userEvent']

/** The story's own mock API (a fresh one per story, from `.storybook/preview.tsx`). */
export const mockOf = (loaded: unknown) => (loaded as ChatStoryLoaded).api

/**
 * Waits until `condition` holds (default 15 s, for a busy machine). Plain checks inside, not `expect`: Storybook records
 * every failed `expect` as a failed interaction, even one that `waitFor` would have retried.
 */
export function until(condition: () => boolean, what: string, timeout = 15_000) {
  return waitFor(
    () => {
      if (!condition()) throw new Error(`still waiting: ${what}`)
    },
    { timeout },
  )
}
