import type { RunResult } from '../../src/loop/runner.ts';

/**
 * What a script can rely on after `tether run` or `tether demo`: 0 only when the run ended as
 * configured, with the safety layer clear and its task (if it has one) done; otherwise the most
 * serious of a violated certificate (3), a latched end (2) and a failed task (4). 1 is an error
 * before or during the run (the CLI's own).
 */
export function runExitCode(result: RunResult): number {
  // A violated certificate means the robot did not behave as proved: never a clean exit.
  if (result.report.certificateViolations > 0) return 3;
  // A run that ended in the latched safe state did not do its job.
  if (result.report.latched) return 2;
  // It ended clear, but the task's terminal state was reached (a pole fell without a safety limit).
  if (result.task !== undefined && !result.task.success) return 4;
  return 0;
}
