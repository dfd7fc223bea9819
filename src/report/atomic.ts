/**
 * Atomic report writing: every file is written to a temporary name and renamed into place, and a
 * whole results folder is staged beside its destination and renamed in one step, so a reader (or
 * a crash) never sees half a report and an existing folder is never clobbered unasked. The stage
 * is made, and every rename the end of the run needs is tried, before the run starts: a target
 * that cannot be written fails in the first second, not after hours of simulation.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";

/**
 * Creates `dir` and its missing parents, like `mkdirSync(dir, { recursive: true })`, and returns
 * the first folder it created (undefined if `dir` existed); on failure it removes what it made.
 * Node's recursive mkdir loops forever where mkdir says ENOENT under a parent that exists (a path
 * under /proc, issue 7): here that is an error.
 */
export function makeFolders(dir: string): string | undefined {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  missing.reverse();
  for (let i = 0; i < missing.length; i++) {
    try {
      mkdirSync(missing[i]);
    } catch (err) {
      for (let j = i - 1; j >= 0; j--) rmdirSync(missing[j]); // leave nothing half made
      throw err;
    }
  }
  return missing[0];
}

/** Writes `data` to `path` through a temporary file in the same folder and a rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeAtomically(path, (tmp) => writeFileSync(tmp, data));
}

/** Has `write` fill a temporary file beside `path`, then renames it over `path`. */
export function writeAtomically(path: string, write: (tmp: string) => void): void {
  makeFolders(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  write(tmp);
  renameSync(tmp, path);
}

/** Thrown when the destination folder exists and replacing it was not asked for. */
export class OutputExistsError extends Error {
  constructor(readonly dir: string) {
    super(`${dir} already exists: pass --force to replace it, or --out to write elsewhere`);
  }
}

/** The reports cannot be written where the user asked; the message names the user's path, never a temporary one. */
export class WriteError extends Error {}

/** A file-system failure in words, without the (temporary) paths Node puts in its messages. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted (the folder or its parent may be immutable or owned by another user)",
    EROFS: "read-only file system",
    ENOENT: "a folder on the path does not exist and cannot be created",
    ENOTDIR: "a part of the path is a file, not a folder",
    EISDIR: "it is a folder",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EXDEV: "the folder is on another file system than its parent",
    ENAMETOOLONG: "the name is too long",
    EBUSY: "the folder is in use (a mount point?)",
    EINVAL: "the file system does not allow this",
  };
  return code && words[code] ? `${words[code]} (${code})` : code ? `error ${code}` : String((err as Error).message ?? err);
}

/**
 * A results folder being written: a temporary folder beside `target` that becomes `target` in one
 * rename when committed. With `adopt`, the existing target (an interrupted run being resumed) is
 * moved into the stage and goes on from there.
 */
export class StagedFolder {
  private constructor(
    readonly target: string,
    /** The temporary folder the files go to. */
    readonly dir: string,
    /** The first parent folder this stage created, removed again on discard if still empty. */
    private readonly createdParent: string | undefined,
    readonly adopted: boolean,
  ) {}

  static stage(target: string, opts: { adopt?: boolean } = {}): StagedFolder {
    const abs = resolve(target);
    const parent = dirname(abs);
    const fail = (what: string, err: unknown): never => {
      throw new WriteError(`cannot write the reports to ${target}: ${what}${fsReason(err)}`);
    };
    let created: string | undefined;
    try {
      created = makeFolders(parent);
    } catch (err) {
      fail("", err);
    }
    const dir = join(parent, `.${basename(abs)}.${process.pid}-${Date.now()}.tmp`);
    const undo = () => {
      rmSync(dir, { recursive: true, force: true });
      removeCreated(parent, created);
    };
    try {
      mkdirSync(dir);
      // The commit renames: stage -> target, and target -> aside when replacing.
      renameSync(dir, `${dir}-probe`);
      renameSync(`${dir}-probe`, dir);
    } catch (err) {
      undo();
      fail("", err);
    }
    const exists = existsSync(abs);
    if (exists) {
      try {
        if (opts.adopt) {
          rmdirSync(dir);
          renameSync(abs, dir);
        } else {
          renameSync(abs, `${dir}-probe`);
          renameSync(`${dir}-probe`, abs);
        }
      } catch (err) {
        undo();
        fail(opts.adopt ? "cannot move it to resume it: " : "cannot replace it: ", err);
      }
    }
    return new StagedFolder(target, dir, created, exists && opts.adopt === true);
  }

  /** Renames the stage to the target, swapping out an existing target only once the stage is in place. */
  commit(): void {
    const abs = resolve(this.target);
    try {
      if (existsSync(abs)) {
        const old = `${this.dir}-old`;
        renameSync(abs, old);
        try {
          renameSync(this.dir, abs);
        } catch (err) {
          renameSync(old, abs); // put the previous reports back
          throw err;
        }
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(this.dir, abs);
      }
    } catch (err) {
      throw new WriteError(`cannot write the reports to ${this.target}: ${fsReason(err)}; the results are kept in ${relative(process.cwd(), this.dir) || this.dir}`);
    }
  }

  /** Removes the stage and the parent folders it created; an adopted folder is put back instead. */
  discard(): void {
    if (this.adopted) {
      this.commit();
      return;
    }
    rmSync(this.dir, { recursive: true, force: true });
    removeCreated(dirname(resolve(this.target)), this.createdParent);
  }
}

/** Removes the folders from `leaf` up to `created` (the first one mkdir created), while they are empty. */
function removeCreated(leaf: string, created: string | undefined): void {
  if (!created) return;
  for (let d = leaf; d.startsWith(created); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty: someone else put something there
    }
    if (d === created) return;
  }
}

/** A folder beside a target that a process staging it (or replacing it) did not clean up. */
export interface Leftover {
  path: string;
  /** The process that made it, and when (both are in its name). */
  pid: number;
  started: Date;
  /** `stage`: a run's folder being written; `old`: the previous target, set aside while being replaced. */
  kind: "stage" | "old";
  /** The process still runs: another svcsim is writing to the same target now. */
  running: boolean;
}

/**
 * The folders that stages of `target` (`.<name>.<pid>-<ms>.tmp`, see `StagedFolder.stage`) left
 * beside it, oldest first: a run killed with SIGKILL, by the OOM killer or a power cut cannot
 * clean up. They are only reported, never removed: they may hold hours of finished runs.
 */
export function leftoverStages(target: string): Leftover[] {
  const abs = resolve(target);
  const prefix = `.${basename(abs)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(abs));
  } catch {
    return [];
  }
  const found: Leftover[] = [];
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)-(\d+)\.tmp(-old|-probe)?$/.exec(name.slice(prefix.length)) : null;
    if (!m) continue;
    const pid = Number(m[1]);
    const kind = m[3] === "-old" ? "old" : "stage";
    found.push({ path: join(dirname(abs), name), pid, started: new Date(Number(m[2])), kind, running: pid !== process.pid && svcsimRuns(pid) });
  }
  return found.sort((a, b) => a.started.getTime() - b.started.getTime());
}

/** Whether process `pid` lives and (where /proc tells) runs svcsim: a pid is reused once its process is gone. */
function svcsimRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("svcsim");
  } catch {
    return true;
  }
}

/**
 * Writes a set of files as one folder (staged beside `dir`, renamed into place). With `replace`,
 * an existing `dir` is swapped out only once the new one is complete; without it, an existing
 * `dir` is an `OutputExistsError` and nothing is written. `finish`, if given, runs on the staged
 * folder once the files are in it (it adds the reports derived from them), so those appear
 * together with the rest too. Returns true when a folder was replaced.
 */
export async function writeFolderAtomic(
  dir: string,
  files: ReadonlyMap<string, string>,
  replace: boolean,
  finish?: (stagedDir: string) => Promise<unknown>,
): Promise<boolean> {
  const existed = existsSync(dir);
  if (existed && !replace) throw new OutputExistsError(dir);
  const stage = StagedFolder.stage(dir);
  try {
    for (const [name, data] of files) writeFileSync(join(stage.dir, name), data);
    if (finish) await finish(stage.dir);
    stage.commit();
  } catch (err) {
    stage.discard();
    throw err;
  }
  return existed;
}
