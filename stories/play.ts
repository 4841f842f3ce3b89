import type { StoryContext } from '@storybook/react-vite'
import type { ChatStoryLoaded } from '../.storybook/preview'

/** What a story's `play` function gets to look at the canvas and act like a person. */
export type Canvas = StoryContext['canvas']
export type User = StoryContext['userEvent']

/** The story's own mock API (a fresh one per story, from `.storybook/preview.tsx`). */
export const mockOf = (loaded: unknown) => (loaded as ChatStoryLoaded).api
