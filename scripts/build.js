/**
 * The build: compiles every non-test TypeScript file under src/ to JavaScript under dist/ (same
 * layout, so a worker-thread entry src/x/worker.ts becomes dist/x/worker.js), for bin/svcsim.js to
 * run without a TypeScript loader. Plain JavaScript because it must run before anything is compiled.
 *
 *   node scripts/build.js    # npm run build; npm install runs it as the `prepare` script
 *
 * tsc writes into a fresh folder that then replaces dist/ in two renames, so a stale file never
 * outlives its source and a running svcsim never sees a half-written dist/. The stamp file written
 * last marks the sources the build is fresh for (see `buildIsFresh`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = ".build-stamp";
/** Files outside src/ whose change changes the compiled output. */
const CONFIG_FILES = ["tsconfig.json", "tsconfig.build.json"];

/** Newest modification time (ms) of the build's inputs: non-test .ts files under src/, and the tsconfigs. */
function newestInput(root) {
  let newest = 0;
  const src = join(root, "src");
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    // Node 20 names the entry's folder `path`; later versions `parentPath`.
    const t = statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs;
    if (t > newest) newest = t;
  }
  for (const f of CONFIG_FILES) {
    const p = join(root, f);
    if (existsSync(p)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Whether dist/ holds a build of the current sources: its stamp is no older than any input. A
 * missing dist/ or an edit since the last build makes it stale. Costs about a millisecond.
 */
export function buildIsFresh(root = ROOT) {
  const stamp = join(root, "dist", STAMP);
  if (!existsSync(stamp)) return false;
  if (!existsSync(join(root, "src"))) return true; // an installed package without sources
  return statSync(stamp).mtimeMs >= newestInput(root);
}

/**
 * Compiles src/ into dist/. Returns tsc's exit status: 0 clean; 2 type errors, but every file was
 * still emitted (the JavaScript mirrors the sources, so dist/ is replaced and stamped all the same);
 * 1 or another status: nothing usable was emitted and dist/ is left as it was. `output` is tsc's.
 */
export function build(root = ROOT) {
  const started = Date.now();
  const tmp = join(root, `dist.tmp-${process.pid}`);
  const old = join(root, `dist.old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", tmp], {
    cwd: root,
    encoding: "utf8",
  });
  const status = r.status ?? 1;
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`;
  if (status !== 0 && status !== 2) {
    rmSync(tmp, { recursive: true, force: true });
    return { status, output };
  }
  // The stamp carries the build's start time, so a source saved while tsc ran reads as newer.
  const stamp = join(tmp, STAMP);
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, new Date(started), new Date(started));
  if (existsSync(join(root, "dist"))) renameSync(join(root, "dist"), old);
  renameSync(tmp, join(root, "dist"));
  rmSync(old, { recursive: true, force: true });
  return { status, output };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { status, output } = build();
  process.stdout.write(output);
  if (status === 0) console.log("built dist/ from src/");
  else if (status === 2) console.error("dist/ built, but tsc reported type errors (above)");
  else console.error("build failed: dist/ left unchanged");
  process.exitCode = status;
}
