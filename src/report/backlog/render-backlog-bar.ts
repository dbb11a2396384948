/**
 * A text progress bar and percentage: `▓▓▓▓▓░░░░░ 50%`. Filled cells round down, like the
 * percentage, so a full bar always means 100%. `—` when there is nothing to count.
 */
export function renderBacklogBar(percent: number | null, width = 10): string {
  if (percent === null) return "—";
  const clamped = Math.min(100, Math.max(0, Math.floor(percent)));
  const filled = Math.floor((clamped * width) / 100);
  return `${"▓".repeat(filled)}${"░".repeat(width - filled)} ${clamped}%`;
}
