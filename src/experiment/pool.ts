/**
 * The worker-thread pool that runs tasks (piscina). Tasks run in workers even with one job, so the
 * main thread stays free for Ctrl-C, the progress bar and writing files (only a lone small task
 * runs in the main thread: execute.ts).
 *
 * Finding the worker's code: from the build, this module is part of dist/svcsim.cjs and its URL is
 * the bundle's, so the worker loads dist/worker.js beside it (which runs dist/worker.cjs; see
 * scripts/build.js). From the TypeScript sources (bin/svcsim.js under tsx, or the tests under
 * vitest), this module's URL ends in `.ts`: the worker then loads `worker.ts` with tsx's loader
 * registered through `--import`, resolved to an absolute URL so it works from any current folder.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { MessageChannel } from "node:worker_threads";
import { setFlagsFromString } from "node:v8";
import type { TaskInput, TaskResult } from "./run.js";
import type { WorkerInput } from "./worker.js";

/** The worker module and the Node.js options it needs, for sources or compiled code. */
export function workerEntry(moduleUrl: string = import.meta.url): { filename: string; execArgv: string[] } {
  if (!moduleUrl.endsWith(".ts")) return { filename: new URL("./worker.js", moduleUrl).href, execArgv: [] };
  const tsx = pathToFileURL(createRequire(moduleUrl).resolve("tsx")).href;
  return { filename: new URL("./worker.ts", moduleUrl).href, execArgv: ["--import", tsx] };
}

/** The default number of jobs: the cores this process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

export class RunPool {
  private readonly pool: Piscina<WorkerInput, TaskResult>;

  constructor(readonly jobs: number) {
    const { filename, execArgv } = workerEntry();
    // Each worker's isolate compiles its hot functions on its own thread rather than on V8's
    // background threads, which costs less CPU in all (random-crashes 3.24 -> 3.12 CPU-s with two
    // jobs, 2.92 -> 2.74 with one; baseline with three replications 1.75 -> 1.64). With a core left
    // idle (one job on two cores) the wall time grows a little (2.50 -> 2.64 s), as the compiling no
    // longer runs beside the task. V8 reads the flag as an isolate starts: this thread's own keeps
    // its setting, and V8 still accepts the workers' code cache.
    setFlagsFromString("--no-concurrent-recompilation");
    this.pool = new Piscina<WorkerInput, TaskResult>({
      filename,
      execArgv,
      minThreads: jobs,
      maxThreads: jobs,
      // Tasks are long and CPU-bound: one at a time per worker, queued here rather than in the workers.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
  }

  /** Runs a task in a worker; `onProgress` hears the simulated-time fraction done as it runs. */
  async run(task: TaskInput, signal?: AbortSignal, onProgress?: (fraction: number) => void): Promise<TaskResult> {
    if (!onProgress) return this.pool.run({ task }, { signal });
    const { port1, port2 } = new MessageChannel();
    port1.on("message", (f: number) => onProgress(f));
    try {
      return await this.pool.run({ task, progress: port2 }, { signal, transferList: [port2] });
    } finally {
      port1.close();
    }
  }

  /** Stops every worker at once, abandoning the tasks in flight. */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }

  /** Waits for the tasks in flight, then stops the workers. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
