/**
 * The DVC stage a failed `dvc repro` died in, from its output: DVC says
 * `ERROR: failed to reproduce 'train': ...`, and before that `Running stage 'train':`.
 */
export function findFailingStage(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const failed = /failed to reproduce '([^']+)'/.exec(lines[i] ?? "");
    if (failed?.[1]) return failed[1].replace(/^.*dvc\.yaml:/, "");
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const running = /^Running stage '([^']+)'/.exec(lines[i] ?? "");
    if (running?.[1]) return running[1].replace(/^.*dvc\.yaml:/, "");
  }
  return undefined;
}
