// Prints the closing line CI reads, counted from vitest's own JSON report.
import { existsSync, readFileSync } from 'node:fs'

const file = 'reports/vitest.json'
if (!existsSync(file)) {
  console.log('tests: 0 passed, 1 failed (no vitest report: the test run did not finish)')
  process.exit(1)
}
const report = JSON.parse(readFileSync(file, 'utf8'))
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed`)
process.exit(report.success && report.numFailedTests === 0 && report.numPassedTests > 0 ? 0 : 1)
