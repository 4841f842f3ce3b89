import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect } from 'storybook/test'
import { mockOf } from './play'
import { RealAccount } from './RealAccount'

/**
 * Opt-in: the same form against a real account, with credentials typed in at run time. Off by
 * default: the mock is not installed for this story, and nothing is sent until you connect.
 */
const meta = {
  title: 'Create conversation/Real account (opt-in)',
  component: RealAccount,
  parameters: { chat: { mock: false } },
} satisfies Meta<typeof RealAccount>

export default meta

export const RealAccountForm: StoryObj<typeof meta> = {
  play: async ({ canvas, loaded }) => {
    await expect(canvas.getByText(/^Not connected/)).toBeVisible()
    await expect(canvas.queryByRole('button', { name: 'Start chat' })).toBeNull()
    await expect(canvas.getByLabelText('Access token')).toHaveAttribute('type', 'password')
    await expect(mockOf(loaded).requests).toHaveLength(0)
  },
}
