import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe('the TanStack Query this run uses', () => {
  it('is the version the run was configured for: the declared floor, or the latest installed', async () => {
    const floor = process.env.EXPECT_TANSTACK_VERSION
    const { version } = (await import('@tanstack/react-query/package.json')).default as { version: string }
    const declared = JSON.parse(readFileSync('package.json', 'utf8')).peerDependencies['@tanstack/react-query']
    if (floor) {
      expect(version).toBe(floor)
      expect(declared).toBe(`^${floor}`)
    } else expect(Number(version.split('.')[1])).toBeGreaterThanOrEqual(Number(declared.split('.')[1]))
  })
})
