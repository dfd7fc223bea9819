/**
 * The worker-thread entry of the run pool (piscina): runs one task per call. Kept tiny so that the
 * pool can load it from TypeScript sources (through tsx) or from compiled JavaScript alike.
 */
import { runTask, type TaskInput, type TaskResult } from "./run.js";

export default function work(input: TaskInput): TaskResult {
  return runTask(input);
}
