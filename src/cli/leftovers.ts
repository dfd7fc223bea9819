/**
 * Folders that a run killed outright (SIGKILL, the OOM killer, a power cut) left beside its reports
 * folder: said out loud before the next run with the same target starts, with what each holds and
 * whether it can be resumed or removed. `--resume` picks one up; nothing here ever deletes one.
 */
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { plural } from "../util/plural.js";
import { join, relative } from "node:path";
import { leftoverContents } from "../experiment/folder.js";
import { leftoverStages, type Leftover } from "../report/atomic.js";
import { DERIVED_REPORT_FILES } from "../report/target.js";
import { REPORT_FILES, TASKS_DIR, ZONES_FILE } from "../report/write.js";
import { UsageError } from "./errors.js";

export interface LeftoverCheck {
  /** One warning per leftover folder. */
  lines: string[];
  /** The leftover `--resume` goes on from: finished runs of this experiment, when the reports folder does not exist. */
  resumable?: Leftover;
}

/** A word for a shell command line the user may paste: quoted when the shell would change it. */
export function shellWord(word: string): string {
  return /^[\w./=:,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A path for a shell command line, relative to the current folder. */
const shellPath = (path: string) => shellWord(relative(process.cwd(), path) || ".");

const when = (l: Leftover) => `svcsim process ${l.pid}, started ${l.started.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const runs = (n: number) => plural(n, "finished run");

/**
 * Looks beside `out` for folders earlier runs left. A run still writing there is an error (two runs
 * would race for the folder); the rest are described. `hash` is this experiment's, `rerun` the
 * command that resumes it.
 */
export function checkLeftovers(out: string, where: string, opts: { hash: string; resume: boolean; rerun: string }): LeftoverCheck {
  const leftovers = leftoverStages(out);
  const busy = leftovers.find((l) => l.running);
  if (busy) {
    throw new UsageError(`${where}: another svcsim run (${when(busy)}) is writing its reports there now: found ${shellPath(busy.path)}; allowed: wait for it to end, or --out to write elsewhere`);
  }
  const lines: string[] = [];
  const found = leftovers.map((l) => ({ l, foreign: l.kind === "stage" ? foreignEntries(l.path) : [], ...(l.kind === "stage" ? leftoverContents(l.path) : { info: undefined, tasks: false, finished: 0 }) }));
  const same = found.filter((f) => f.info?.hash === opts.hash && f.tasks && f.finished > 0 && f.foreign.length === 0);
  const picked = opts.resume && !existsSync(out) ? same.reduce<(typeof same)[number] | undefined>((a, b) => (a && a.finished >= b.finished ? a : b), undefined) : undefined;
  for (const f of found) {
    const { l, info, tasks, finished } = f;
    if (f === picked) continue;
    const q = shellPath(l.path);
    const remove = `rm -r ${q}`;
    const left = `left by ${when(l)}, which ended without cleaning up (killed?)`;
    if (l.kind === "old") {
      const back = existsSync(out) ? `${out} holds the newer reports, so it can be removed: ${remove}` : `put them back with: mv ${q} ${shellPath(out)}`;
      lines.push(`${where}: ${q} holds the previous reports, set aside while they were being replaced by ${when(l)}, which ended before removing them; ${back}`);
    } else if (same.includes(f)) {
      const next = opts.resume ? `--resume goes on from ${picked ? shellPath(picked.l.path) : out} instead; remove it when you no longer need it: ${remove}` : `this run starts over; to pick them up instead, stop it and run: ${opts.rerun}; or remove the folder: ${remove}`;
      lines.push(`${where}: ${q} holds ${runs(finished)} of this same experiment, ${left}: ${next}`);
    } else if (f.foreign.length > 0) {
      lines.push(`${where}: ${q} was ${left}, but also holds files svcsim does not write there (${f.foreign.slice(0, 3).join(", ")}${f.foreign.length > 3 ? ", ..." : ""}): svcsim leaves it alone; look at it, and remove it yourself when you no longer need it`);
    } else if (info && tasks && finished > 0) {
      lines.push(`${where}: ${q} holds ${runs(finished)} of another experiment (${info.command ?? info.scenarioFile}), ${left}: that command with --resume picks them up; or remove the folder: ${remove}`);
    } else if (info?.complete && !tasks) {
      lines.push(`${where}: ${q} holds the complete reports of ${info.command ?? info.scenarioFile}, ${left} before moving them into place: move the folder where you want it (mv ${q} <folder>), or remove it: ${remove}`);
    } else {
      lines.push(`${where}: ${q} was ${left}, and holds no finished run: it can be removed: ${remove}`);
    }
  }
  const resumable = picked?.l;
  if (picked) {
    lines.unshift(`${where}: going on from the ${runs(picked.finished)} of this experiment in ${shellPath(picked.l.path)}, left by ${when(picked.l)}, which ended without cleaning up`);
  }
  return { lines, resumable };
}

/** A stage's entries besides run.json and tasks/ that svcsim rebuilds from the runs: the reports and their temporary files. */
const rebuilt = (name: string) => (REPORT_FILES as readonly string[]).includes(name) || name === ZONES_FILE || DERIVED_REPORT_FILES.includes(name) || /^\..+\.\d+\.tmp$/.test(name);

function foreignEntries(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n !== "run.json" && n !== TASKS_DIR && !rebuilt(n)).sort();
  } catch {
    return [];
  }
}

/**
 * Moves a leftover `--resume` goes on from into place as `out`, holding only its run.json and
 * finished runs: the reports it may have been writing when killed are rebuilt from those.
 */
export function pickUpLeftover(l: Leftover, out: string): void {
  for (const name of readdirSync(l.path)) if (rebuilt(name)) rmSync(join(l.path, name), { force: true });
  renameSync(l.path, out); // beside the target: its parent exists
}
