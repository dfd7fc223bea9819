/**
 * A probe with every default, as plain data: what a rollout's partial probe merges over when the
 * template had none. The model reads it from here rather than from the schema, so that a run's
 * workers do not load the validation library (~0.1 s of CPU each); schema.test.ts checks that it
 * is what the schema fills in for an empty probe.
 */
import type { ProbeSpec } from "./types.js";

export const DEFAULT_PROBE: Readonly<ProbeSpec> = {
  handler: "http",
  initialDelay: 0,
  period: 10,
  timeout: 1,
  failureThreshold: 3,
  successThreshold: 1,
  serviceTime: { type: "constant", value: 0 },
};
