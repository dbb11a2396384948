import type { CheckOutcome } from "../core/doctor/check-outcome.js";
import type { DoctorContext } from "./doctor-context.js";

/** One part of a deployment the doctor checks: a small module with one method. */
export interface DoctorCheck {
  /** Stable name (`--only`, JSON output). */
  readonly id: string;
  /** What is checked, as the report's heading ("Job store"). */
  readonly title: string;
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}
