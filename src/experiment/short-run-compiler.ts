/**
 * How V8's optimising compiler (TurboFan) is set while a small experiment runs in the main thread.
 * Such a run is short (baseline's four policies: ~0.25 CPU-s of model when warm), and compiling the
 * model's hot functions is a third of its process's CPU, so compiling less beats the last percent
 * of the compiled code's speed. Source of truth: V8's `--turbo-loop-peeling` (TurboFan's pipeline).
 */
import { withV8Flag } from "../util/v8-flags.js";

/**
 * Runs `work` with TurboFan's loop peeling off, then turns it back on. Peeling copies a loop's first
 * iteration in front of the loop, so that checks and loads done once can leave the loop; the graph
 * of every loop then holds its body twice, and the kernel's event loop, with the model's handlers
 * inlined into it, is compiled more than once per policy. Measured whole-process (median CPU-s of
 * alternating runs): baseline x0.96, rolling-update x0.97, the peer model's 2 M requests x0.98; a run
 * of 20 M requests is 2 % slower without it, which is why only runs small enough for the main thread
 * (cost.ts) get it, and pooled ones keep V8's default.
 *
 * Turned back on even if `work` throws (util/v8-flags.ts); left alone when node was started with the flag.
 */
export function withoutLoopPeeling<T>(work: () => Promise<T>): Promise<T> {
  return withV8Flag("--no-turbo-loop-peeling", "--turbo-loop-peeling", work);
}
