// Compiled from app/cli/exit-code.ts by `npm run build`: edit the source, not this file.

// app/cli/exit-code.ts
function runExitCode(result) {
  if (result.report.certificateViolations > 0) return 3;
  if (result.report.latched) return 2;
  if (result.task !== void 0 && !result.task.success) return 4;
  return 0;
}
export {
  runExitCode
};
