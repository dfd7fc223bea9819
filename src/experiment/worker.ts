/**
 * The worker-thread entry of the run pool (piscina): runs one task per call. Kept tiny so that the
 * pool can load it from TypeScript sources (through tsx) or from compiled JavaScript alike.
 */
import type { MessagePort } from "node:worker_threads";
import type { TaskInput, TaskResult } from "./run.js";
import { runTask } from "./run-task.js";

/** A task, and the port its simulated-time progress (0..1) is posted to. */
export interface WorkerInput {
  task: TaskInput;
  progress?: MessagePort;
}

export default function work({ task, progress }: WorkerInput): TaskResult {
  try {
    return runTask(task, progress ? (f) => progress.postMessage(f) : undefined);
  } finally {
    progress?.close();
  }
}
