/**
 * How V8's optimising compiler (TurboFan) is set while the derived reports walk a short
 * timeseries.csv. Such a walk (the peer model's 5,000 intervals) ends about when its row code is
 * optimised, so what compiling costs matters more than what the compiled code gains. Source of
 * truth: V8's `--max-inlined-bytecode-size-cumulative` (TurboFan's inlining budget per function).
 */
import { withV8Flag } from "../util/v8-flags.js";

/** Rows of timeseries.csv up to which a walk compiles with less inlining (over 10^6 rows, full inlining is ~4 % faster). */
export const SHORT_WALK_ROWS = 100_000;
const FLAG = "--max-inlined-bytecode-size-cumulative";
/** Bytes of bytecode TurboFan inlines into one function during a short walk, and V8's default. */
const SHORT_WALK_INLINING = 200;
const V8_DEFAULT_INLINING = 920;

/**
 * Runs `work` (a walk of `rows` rows) with a smaller inlining budget when the walk is short, then
 * restores V8's default. The row code's functions (a wide row, a chart step) inline the cell parsing
 * and formatting into each other, and the graphs TurboFan builds of them are its largest compiles of
 * the whole run. Measured in process (the walk's CPU, medians of 5 alternating runs): peer model
 * 5,000 rows 97 -> 70 ms, 50,000 rows 273 -> 241 ms; 10^6 rows 2.84 -> 2.98 s, hence the bound.
 *
 * Restored even if `work` throws (util/v8-flags.ts); left alone when node was started with the flag.
 */
export function withShortWalkCompiler<T>(rows: number, work: () => T): T {
  if (rows > SHORT_WALK_ROWS) return work();
  return withV8Flag(`${FLAG}=${SHORT_WALK_INLINING}`, `${FLAG}=${V8_DEFAULT_INLINING}`, work);
}
