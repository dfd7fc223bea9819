/**
 * V8 compiler flags changed for the length of one piece of work, then put back. V8 writes its flags
 * into every code cache it makes and refuses a cache made under other flags, so a flag left changed
 * would cost the next start-up its code caches. Source of truth: node's `v8.setFlagsFromString`.
 */
import { setFlagsFromString } from "node:v8";

/** A flag's name as V8 reads it: `-` and `_` alike, without `--`, `no-` and any `=value`. */
export function flagName(arg: string): string {
  return arg.replace(/^--?/, "").replace(/_/g, "-").replace(/^no-/, "").replace(/=.*$/, "");
}

/** The V8 and node options this process started with: its command line's, then NODE_OPTIONS'. */
export function startOptions(): string[] {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/).filter((a) => a.startsWith("-"))];
}

/**
 * Runs `work` with `flag` set (e.g. `--no-turbo-loop-peeling`), then sets `restore` (V8's default),
 * also when `work` throws or its promise rejects. When the process was started with the same flag,
 * in either spelling, the user's setting stands and `work` runs under it.
 */
export function withV8Flag<T>(flag: string, restore: string, work: () => T, started: readonly string[] = startOptions()): T {
  const name = flagName(flag);
  if (started.some((a) => flagName(a) === name)) return work();
  setFlagsFromString(flag);
  let result: T;
  try {
    result = work();
  } catch (e) {
    setFlagsFromString(restore);
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => setFlagsFromString(restore)) as T;
  setFlagsFromString(restore);
  return result;
}
