import { fileURLToPath } from 'node:url'
import type { StorybookConfig } from '@storybook/react-vite'
import { chatProxyPlugin } from '../scripts/chat-proxy-plugin'

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // The msw worker script, committed because npm does not run msw's install script here.
  staticDirs: ['../public'],
  core: { disableTelemetry: true },
  // Stories import the library by its package name, resolved to the source.
  viteFinal: (viteConfig) => ({
    ...viteConfig,
    // The server half at /api/chat for the stories that use it (see scripts/chat-proxy-plugin.ts).
    plugins: [...(viteConfig.plugins ?? []), chatProxyPlugin()],
    resolve: {
      ...viteConfig.resolve,
      alias: [
        { find: /^socialboards-chat-react\/mock$/, replacement: source('../src/mock/index.ts') },
        { find: /^socialboards-chat-react$/, replacement: source('../src/index.ts') },
        ...(Array.isArray(viteConfig.resolve?.alias) ? viteConfig.resolve.alias : []),
      ],
    },
  }),
}

export default config
