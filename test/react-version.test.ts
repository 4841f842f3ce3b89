import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

describe('the React this run uses', () => {
  it('is the major version the project was configured for', () => {
    const expected = process.env.EXPECT_REACT_MAJOR ?? '19'
    expect(version.split('.')[0]).toBe(expected)
    expect(domVersion).toBe(version)
  })
})
