/**
 * Where reports may go: classifies an output path before anything runs, so `--force` can only
 * ever replace a folder svcsim wrote itself. svcsim recognises its folders by the marker in their
 * run.json (`"generator": "svcsim"`, the version, and the list of files it wrote there).
 *
 * The checks only read the file system; they never create or delete anything. Use `checkTarget`
 * before a run (and again just before replacing a folder, as the run may take hours), and
 * `reportMarker` to stamp the run.json of every reports folder svcsim writes.
 */
import { accessSync, constants, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, parse, relative, resolve, sep } from "node:path";
import { SVCSIM_VERSION } from "../version.js";

/** The value of run.json's `generator` field in every folder svcsim writes. */
export const GENERATOR = "svcsim";

/** The files a reports folder holds when its run.json does not list them (folders written before the list existed). */
export const DEFAULT_REPORT_FILES: readonly string[] = ["summary.csv", "pods.csv", "timeseries.csv", "run.json"];

/** The files svcsim derives from a folder's CSVs (report/generate.ts): rebuilt whenever the folder is. */
export const DERIVED_REPORT_FILES: readonly string[] = ["timeseries_wide.csv", "report.html", "report.xlsx"];

/** run.json files larger than this are not read for the marker (a real one is far smaller). */
const MAX_RUN_JSON_BYTES = 64 * 1024 * 1024;

/** The fields that mark run.json as svcsim's: spread them into the top of every run.json. */
export interface ReportMarker {
  generator: typeof GENERATOR;
  version: string;
  /** Every entry svcsim wrote into the folder (run.json included); anything else in it is the user's. */
  files: string[];
}

/** The marker for a folder holding `files` (run.json is added if missing). */
export function reportMarker(files: Iterable<string>): ReportMarker {
  const list = [...files];
  if (!list.includes("run.json")) list.push("run.json");
  return { generator: GENERATOR, version: SVCSIM_VERSION, files: list };
}

/** What is at an output path that svcsim may write to. */
export type Target =
  /** Nothing there: the folder will be created (with any missing parent folders). */
  | { kind: "new"; path: string }
  /** An empty folder: nothing to lose, replaced only with `force`. */
  | { kind: "empty"; path: string }
  /** A folder svcsim wrote (`version` is the svcsim that wrote it): replaced only with `force`. */
  | { kind: "reports"; path: string; version: string };

/** Why an output path may not be written; `allowed` says what would be accepted instead. */
export interface Refusal {
  kind: "refused";
  path: string;
  problem: string;
  found: string;
  allowed: string;
}

/** The surroundings the rules depend on; tests pass their own. */
export interface TargetEnv {
  /** The current folder (default: process.cwd()). */
  cwd?: string;
  /** The user's home folder (default: os.homedir()). */
  home?: string;
}

/** Thrown by `checkTarget`: the output path may not be written. Exit status 2, like a scenario error. */
export class TargetError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly where: string,
    readonly refusal: Refusal,
  ) {
    super(`${where}: ${refusal.problem}: found ${refusal.found}; allowed: ${refusal.allowed}`);
    this.name = "TargetError";
  }
}

const ALLOWED_NEW = "a path that does not exist yet, such as results/<name>";
const ALLOWED_ANY = `${ALLOWED_NEW}, or (with --force) a folder svcsim wrote: its run.json says "generator": "svcsim"`;

function statOrUndefined(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

/** The real path of `p`, or its resolved path when it does not exist. */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** True when `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !parse(rel).root);
}

/**
 * The marker of the folder `dir` if its run.json is svcsim's: `{ version, files }`, or undefined.
 * A run.json written before the marker existed (svcsim 0.1.0: a `svcsim` version string and a
 * `scenario` object, no `generator`) counts too, with the four default report files.
 */
export function readReportMarker(dir: string): { version: string; files: readonly string[] } | undefined {
  const file = join(dir, "run.json");
  const st = statOrUndefined(file, false);
  if (!st?.isFile() || st.size > MAX_RUN_JSON_BYTES) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const r = json as Record<string, unknown>;
  if (r.generator === GENERATOR && typeof r.version === "string") {
    const files = Array.isArray(r.files) && r.files.every((f) => typeof f === "string") ? (r.files as string[]) : DEFAULT_REPORT_FILES;
    return { version: r.version, files };
  }
  if (r.generator === undefined && typeof r.svcsim === "string" && typeof r.scenario === "object" && r.scenario !== null) {
    return { version: r.svcsim, files: DEFAULT_REPORT_FILES };
  }
  return undefined;
}

/** A list of names for a message: at most `max`, then "and N more". */
function names(list: readonly string[], max = 5): string {
  const shown = list.slice(0, max).map((n) => JSON.stringify(n));
  return list.length > max ? `${shown.join(", ")} and ${list.length - max} more` : shown.join(", ");
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Classifies the output path `out` (relative to `env.cwd`). Refused, whatever `--force` says: the
 * file system root, the home folder, the current folder or any folder above it, a folder holding
 * package.json or .git (a project), a file or anything else that is not a folder, a symbolic link,
 * a non-empty folder without svcsim's marker, and a folder of svcsim's that also holds files svcsim
 * did not write. A path that does not exist must be creatable: its nearest existing parent must be a
 * writable folder.
 */
export function inspectTarget(out: string, env: TargetEnv = {}): Target | Refusal {
  const cwd = resolve(env.cwd ?? process.cwd());
  const home = env.home ?? homedir();
  const path = resolve(cwd, out);
  const refuse = (problem: string, found: string, allowed = ALLOWED_ANY): Refusal => ({ kind: "refused", path, problem, found, allowed });

  const target = real(path);
  if (parse(target).root === target) return refuse("the file system root", JSON.stringify(target));
  if (home && target === real(home)) return refuse("your home folder", JSON.stringify(target));
  if (within(real(cwd), target)) {
    return refuse(target === real(cwd) ? "the current folder" : "a folder that holds the current folder", JSON.stringify(target), `${ALLOWED_NEW} inside the current folder`);
  }

  const st = statOrUndefined(path, false);
  if (st === undefined) return creatable(path, refuse);
  if (st.isSymbolicLink()) {
    return refuse("a symbolic link: svcsim replaces only a real folder it wrote", `a link to ${JSON.stringify(real(path))}`, `the folder's own path, or ${ALLOWED_NEW}`);
  }
  if (!st.isDirectory()) return refuse("not a folder svcsim wrote", st.isFile() ? "a file" : "something that is not a folder");

  let entries: string[];
  try {
    entries = readdirSync(path);
  } catch (err) {
    return refuse("cannot read the folder", (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  const project = ["package.json", ".git"].filter((n) => entries.includes(n));
  if (project.length > 0) return refuse(`a project folder (it holds ${project.join(" and ")})`, JSON.stringify(target));
  if (entries.length === 0) return { kind: "empty", path };

  const marker = readReportMarker(path);
  if (marker === undefined) {
    return refuse("a folder svcsim did not write (no run.json with \"generator\": \"svcsim\")", `a folder with ${plural(entries.length, "entry", "entries")}: ${names(entries.sort())}`);
  }
  const foreign = entries.filter((e) => !marker.files.includes(e)).sort();
  if (foreign.length > 0) {
    return refuse(
      "the reports folder also holds files svcsim did not write",
      names(foreign),
      `move those files out of it, or choose another --out (svcsim replaces a folder only when it holds nothing but its own reports)`,
    );
  }
  return { kind: "reports", path, version: marker.version };
}

/** A new path: its nearest existing ancestor must be a folder we can write in. */
function creatable(path: string, refuse: (problem: string, found: string, allowed?: string) => Refusal): Target | Refusal {
  let parent = dirname(path);
  for (;;) {
    const st = statOrUndefined(parent, true);
    if (st !== undefined) {
      if (!st.isDirectory()) return refuse("cannot create the folder: a parent is not a folder", JSON.stringify(parent), ALLOWED_NEW);
      try {
        accessSync(parent, constants.W_OK | constants.X_OK);
      } catch {
        return refuse("cannot create the folder: no permission to write in its parent", JSON.stringify(parent), `${ALLOWED_NEW} in a folder you can write to`);
      }
      return { kind: "new", path };
    }
    const up = dirname(parent);
    if (up === parent) return refuse("cannot create the folder: no existing parent", JSON.stringify(path), ALLOWED_NEW);
    parent = up;
  }
}

/**
 * The checked target for writing to `out`, or a TargetError saying why not. `where` names the path
 * in the message as the user gave it (e.g. `--out sub`); `force` allows replacing an empty folder or
 * a folder svcsim wrote, and nothing else.
 */
export function checkTarget(out: string, opts: { force: boolean; where?: string; env?: TargetEnv }): Target {
  const where = opts.where ?? out;
  const t = inspectTarget(out, opts.env);
  if (t.kind === "refused") throw new TargetError(where, t);
  if (t.kind !== "new" && !opts.force) {
    const found = t.kind === "empty" ? "an empty folder" : `a reports folder written by svcsim ${t.version}`;
    throw new TargetError(where, { kind: "refused", path: t.path, problem: "already exists", found, allowed: "--force to replace it, or --out to write elsewhere" });
  }
  return t;
}
