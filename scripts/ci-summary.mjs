#!/usr/bin/env node
// Print the closing line of a CI run, exactly `N passed, N failed`, from vitest's JSON report.
//
//   node scripts/ci-summary.mjs <vitest.json> [exit code of the test command]
//
// - passed = numPassedTests; failed = numFailedTests, plus 1 for every test file that failed
//   without a failing test case (e.g. it could not be imported), whose cases vitest never counts.
// - No readable report (tsc or bootstrap failed before vitest ran): `0 passed, 1 failed`.
// - If the test command's exit code is given, non-zero, and nothing counted as failed, failed is
//   set to 1 so the line never claims success for a failed run.
import { readFileSync } from 'node:fs';

const [reportPath, exitArg] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: node scripts/ci-summary.mjs <vitest.json> [exit code]');
  process.exit(64);
}

let passed = 0;
let failed = 1;
try {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  if (typeof report.numPassedTests !== 'number' || typeof report.numFailedTests !== 'number') {
    throw new Error('not a vitest JSON report');
  }
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  for (const file of report.testResults ?? []) {
    const failedCases = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (file.status === 'failed' && failedCases === 0) failed += 1;
  }
} catch (err) {
  console.error(`ci-summary: no usable report at ${reportPath}: ${err instanceof Error ? err.message : err}`);
  passed = 0;
  failed = 1;
}

const exitCode = exitArg === undefined ? 0 : Number(exitArg);
if (exitCode !== 0 && failed === 0) failed = 1;

console.log(`${passed} passed, ${failed} failed`);
