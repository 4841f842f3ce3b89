import { fileURLToPath } from 'node:url'
import type { StorybookConfig } from '@storybook/react-vite'

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // The msw worker script, committed because npm does not run msw's install script here.
  staticDirs: ['../public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // No onboarding checklist over the demo (in the sidebar, nor as a page in the menu).
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  // Stories import the library by its package name, resolved to the source. Even the server half's stories need
  // nothing from the dev server: they run `createChatHandler` inside the page, behind msw (stories/chat-server.ts).
  viteFinal: (viteConfig) => ({
    ...viteConfig,
    build: {
      ...viteConfig.build,
      // A demo site, loaded once: its large chunks are no problem worth a warning.
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        ...viteConfig.build?.rollupOptions,
        onwarn(warning, warn) {
          // `'use client'` marks the hooks for React Server Components; a browser bundle drops it, and says so (with
          // a source map complaint about its position, 1:0) once per file. Nothing to act on.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
          if (warning.code === 'SOURCEMAP_ERROR' && warning.loc?.line === 1 && warning.loc?.column === 0) return
          const next = viteConfig.build?.rollupOptions?.onwarn
          if (next) next(warning, warn)
          else warn(warning)
        },
      },
    },
    resolve: {
      ...viteConfig.resolve,
      alias: [
        { find: /^socialboards-chat-react\/mock$/, replacement: source('../src/mock/index.ts') },
        { find: /^socialboards-chat-react\/core$/, replacement: source('../src/core/index.ts') },
        { find: /^socialboards-chat-react\/server$/, replacement: source('../src/server/index.ts') },
        { find: /^socialboards-chat-react$/, replacement: source('../src/index.ts') },
        ...(Array.isArray(viteConfig.resolve?.alias) ? viteConfig.resolve.alias : []),
      ],
    },
  }),
}

export default config
