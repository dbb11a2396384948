/** A DVC stage as the job page shows it. */
export interface StageProgress {
  readonly name: string;
  readonly state: "running" | "done" | "skipped" | "failed";
}

const RUNNING = /^Running stage '([^']{1,200})'/;
const SKIPPED = /^Stage '([^']{1,200})' (?:didn't change, skipping|is cached - skipping run)/;
const FAILED = /failed to reproduce '([^']{1,200})'/;

/**
 * Follows `dvc repro` output line by line: a stage runs from `Running stage 'x':` until the next
 * one starts (then it is done), `Stage 'x' didn't change, skipping` / `is cached` skip it, and
 * `ERROR: failed to reproduce 'x'` fails it. `finish` settles the last stage once the job ends.
 * Keeps one entry per stage, in first-seen order; bounded by the stages DVC prints.
 */
export class StageTracker {
  private readonly stages = new Map<string, StageProgress["state"]>();
  private current: string | undefined;

  push(line: string): boolean {
    const running = RUNNING.exec(line);
    const skipped = SKIPPED.exec(line);
    const failed = FAILED.exec(line);
    if (running?.[1]) {
      this.settleCurrent("done");
      this.current = stageName(running[1]);
      this.set(this.current, "running");
      return true;
    }
    if (skipped?.[1]) {
      this.set(stageName(skipped[1]), "skipped");
      return true;
    }
    if (failed?.[1]) {
      const name = stageName(failed[1]);
      if (this.current === name) this.current = undefined;
      this.set(name, "failed");
      return true;
    }
    return false;
  }

  /** The job ended: the running stage is done if it succeeded, failed otherwise. */
  finish(succeeded: boolean): void {
    this.settleCurrent(succeeded ? "done" : "failed");
  }

  snapshot(): StageProgress[] {
    return [...this.stages].map(([name, state]) => ({ name, state }));
  }

  private settleCurrent(state: StageProgress["state"]): void {
    if (this.current !== undefined && this.stages.get(this.current) === "running") this.stages.set(this.current, state);
    this.current = undefined;
  }

  private set(name: string, state: StageProgress["state"]): void {
    if (this.stages.size >= 500 && !this.stages.has(name)) return;
    this.stages.set(name, state);
  }
}

function stageName(raw: string): string {
  return raw.replace(/^.*dvc\.yaml:/, "");
}
