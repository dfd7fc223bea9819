/**
 * Atomic report writing: every file is written to a temporary name and renamed into place, and a
 * whole results folder is assembled beside its destination and renamed in one step, so a reader
 * (or a crash) never sees half a report and an existing folder is never clobbered unasked.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Writes `data` to `path` through a temporary file in the same folder and a rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Thrown when the destination folder exists and replacing it was not asked for. */
export class OutputExistsError extends Error {
  constructor(readonly dir: string) {
    super(`${dir} already exists: pass --force to replace it, or --out to write elsewhere`);
  }
}

/**
 * Writes a set of files as one folder: all files go into a temporary sibling folder which is then
 * renamed to `dir`. With `replace`, an existing `dir` is swapped out only once the new one is
 * complete; without it, an existing `dir` is an `OutputExistsError` and nothing is written.
 * `finish`, if given, runs on the temporary folder once the files are in it (it adds the reports
 * derived from them), so those appear together with the rest too.
 * Returns true when an existing folder was replaced.
 */
export async function writeFolderAtomic(
  dir: string,
  files: ReadonlyMap<string, string>,
  replace: boolean,
  finish?: (tmpDir: string) => Promise<unknown>,
): Promise<boolean> {
  const existed = existsSync(dir);
  if (existed && !replace) throw new OutputExistsError(dir);
  mkdirSync(dirname(dir), { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = join(dirname(dir), `.${basename(dir)}.${stamp}.tmp`);
  try {
    mkdirSync(tmp);
    for (const [name, data] of files) writeFileSync(join(tmp, name), data);
    if (finish) await finish(tmp);
    if (existed) {
      const old = join(dirname(dir), `.${basename(dir)}.${stamp}.old`);
      renameSync(dir, old);
      try {
        renameSync(tmp, dir);
      } catch (err) {
        renameSync(old, dir); // put the previous reports back
        throw err;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return existed;
}
