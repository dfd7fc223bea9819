/**
 * The build: type-checks and compiles src/ with tsc, bundles the compiled JavaScript with esbuild into
 * two CommonJS files, dist/svcsim.cjs (the command line) and dist/worker.cjs (a run pool's worker
 * thread), and saves V8's code cache of each from warm-up runs (see load-bundle.js). Plain JavaScript
 * because it must run before anything is compiled.
 *
 *   node scripts/build.js    # npm run build; npm install runs it as the `prepare` script
 *
 * What dist/ holds: cli.js and worker.js, the two entry modules (bin/svcsim.js imports cli.js; the
 * pool starts worker.js beside the code that starts it), each running its bundle through
 * load-bundle.js; the bundles and their caches; and the files the code reads beside its module
 * (report.html's stylesheet and script). Inside a bundle `import.meta.url` is the bundle's URL, so
 * dist/ sits one folder below the root as src/ does, and `../package.json` is found from both.
 * Packages that start threads or processes from their own files (piscina, open), or that only some
 * commands need and are large (exceljs), stay outside the bundles and load from node_modules.
 *
 * Everything is written into a fresh folder that then replaces dist/ in two renames, so a stale file
 * never outlives its source and a running svcsim never sees a half-written dist/. The stamp file
 * written last marks the sources the build is fresh for (see fresh.js).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ASSETS, buildIsFresh, ROOT, STAMP } from "./fresh.js";
import { IMPORT, URL_PARAMETER, WRAPPER, WRITE_CACHE_ENV } from "./load-bundle.js";

export { buildIsFresh };

/** The bundles: their entry module (as tsc emits it) and the entry file that runs each. */
const BUNDLES = [
  { name: "svcsim", entry: "cli/main.js", stub: "cli.js" },
  { name: "worker", entry: "experiment/worker.js", stub: "worker.js" },
];
/** Loaded from node_modules, not bundled (see above); playwright-core is the browser test's. */
const EXTERNAL = ["piscina", "open", "exceljs", "cli-progress", "playwright-core"];

const STUBS = {
  "cli.js": `// Written by scripts/build.js: the command line, dist/svcsim.cjs, run with its code cache.
import { loadBundle, WRITE_CACHE_ENV } from "./load-bundle.js";

const cli = loadBundle(new URL("./svcsim.cjs", import.meta.url));
if (process.env[WRITE_CACHE_ENV]) process.on("exit", cli.writeCache);
`,
  "worker.js": `// Written by scripts/build.js: a run pool's worker thread, dist/worker.cjs, run with its code cache.
import { loadBundle, WRITE_CACHE_ENV } from "./load-bundle.js";

const worker = loadBundle(new URL("./worker.cjs", import.meta.url));
const work = worker.exports.default;
export default process.env[WRITE_CACHE_ENV]
  ? (input) => {
      const result = work(input);
      worker.writeCache();
      return result;
    }
  : work;
`,
};

/**
 * The warm-up runs whose compiled code the caches keep: a pooled run (ten tasks, more than a run in
 * the main thread takes, on one worker thread: the worker's cache) and a run of one task in the main thread (the command line's cache: the
 * scenario, the model and the reports). Their reports go to a temporary folder.
 */
const WARM_UP_SCENARIO = `name: warm-up
duration: 4s
warmup: 1s
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 3, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 200 }, timeout: 2s }]
events: [{ at: 2s, action: rollout, deployment: web, version: v2 }]
`;
const WARM_UPS = [
  ["--set", "policies=[random, round-robin]", "--set", "replications=5", "--jobs", "1"],
  ["--set", "policies=[random]"],
];

/**
 * What the bundle's text needs before it can run with a code cache: the loader's wrapper around it
 * (WRAPPER), every non-ASCII character
 * replaced by its `\\u` escape (esbuild writes code in ASCII and keeps only the comments as they
 * were, where an escape changes nothing; an ASCII file reads as latin1 exactly), and each `import()`
 * of a package outside the bundle made a call of the loader's import function (see IMPORT).
 */
function finish(text) {
  const externals = EXTERNAL.map((p) => p.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|");
  const code = text
    .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(new RegExp(`(?<![\\w$.])import\\(("(?:${externals})(?:/[^"]*)?")\\)`, "g"), `${IMPORT}($1)`)
    .replace(LAZY_CHILD_PROCESS[0], LAZY_CHILD_PROCESS[1]);
  return `${WRAPPER[0]}${code}${WRAPPER[1]}`;
}

/**
 * commander loads node:child_process (with net, dgram and their bindings: ~2 ms of CPU at every
 * start) for one use: spawning a subcommand that is its own executable, which svcsim has none of.
 * Its require becomes one made on that first use. Should commander's text change, the pattern no
 * longer matches and the bundle keeps the plain require (scripts/bundle.test.ts then fails).
 */
const LAZY_CHILD_PROCESS = [
  /\bvar childProcess = require\("node:child_process"\);/,
  'var childProcess = { spawn: (...args) => require("node:child_process").spawn(...args) };',
];

/** Bundles the tsc output in `js` into `out`; returns esbuild's warnings and errors as text. */
function bundle(root, js, out) {
  const esbuild = createRequire(join(root, "package.json"))("esbuild");
  const result = esbuild.buildSync({
    // Paths in the bundle's comments are relative to this folder: the same from build to build.
    absWorkingDir: js,
    entryPoints: Object.fromEntries(BUNDLES.map((b) => [b.name, join(js, b.entry)])),
    outdir: out,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // Each module's own URL is the bundle's: a file it reads beside itself is copied beside the bundle.
    define: { "import.meta.url": URL_PARAMETER },
    write: false,
    logLevel: "silent",
  });
  for (const f of result.outputFiles) writeFileSync(f.path, finish(f.text));
  const messages = esbuild.formatMessagesSync(result.warnings, { kind: "warning" });
  return messages.join("");
}

/** Runs the warm-ups with the new dist/ in `out`; returns a note on failure (the caches are then absent). */
function warmUp(root, out) {
  const dir = mkdtempSync(join(tmpdir(), "svcsim-warm-up-"));
  try {
    const scenario = join(dir, "warm-up.yaml");
    writeFileSync(scenario, WARM_UP_SCENARIO);
    for (const args of WARM_UPS) {
      const r = spawnSync(process.execPath, [join(out, "cli.js"), "run", scenario, "--out", join(dir, "reports"), "--force", "--quiet", ...args], {
        cwd: root,
        encoding: "utf8",
        // Without NODE_OPTIONS: V8 refuses a cache made under other V8 flags (--max-old-space-size,
        // --expose-gc, ...), so the caches are made for svcsim run as the README runs it.
        env: { ...process.env, NODE_OPTIONS: "", [WRITE_CACHE_ENV]: "1" },
      });
      if (r.status !== 0) return `the warm-up run failed, so dist/ has no code cache (start-up is slower):\n${r.stderr ?? ""}${r.error ?? ""}\n`;
    }
    return "";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds dist/. Returns tsc's exit status: 0 clean; 2 type errors, but every file was still emitted
 * (the JavaScript mirrors the sources, so dist/ is built and stamped all the same); 1 or another
 * status: nothing usable was emitted (or the bundling failed) and dist/ is left as it was. `output`
 * is tsc's and esbuild's, and a note if the warm-up failed.
 */
export function build(root = ROOT) {
  const started = Date.now();
  const tmp = join(root, `dist.tmp-${process.pid}`);
  const old = join(root, `dist.old-${process.pid}`);
  const js = join(tmp, "tsc");
  rmSync(tmp, { recursive: true, force: true });
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", js], { cwd: root, encoding: "utf8" });
  const status = r.status ?? 1;
  let output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`;
  if (status !== 0 && status !== 2) {
    rmSync(tmp, { recursive: true, force: true });
    return { status, output };
  }
  try {
    output += bundle(root, js, tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    return { status: 1, output: `${output}${err instanceof Error ? err.message : String(err)}\n` };
  }
  rmSync(js, { recursive: true, force: true });
  copyFileSync(join(root, "scripts", "load-bundle.js"), join(tmp, "load-bundle.js"));
  for (const [name, text] of Object.entries(STUBS)) writeFileSync(join(tmp, name), text);
  for (const asset of ASSETS) copyFileSync(join(root, asset), join(tmp, basename(asset)));
  // The stamp carries the build's start time, so a source saved while the build ran reads as newer.
  const stamp = join(tmp, STAMP);
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, new Date(started), new Date(started));
  if (existsSync(join(root, "dist"))) renameSync(join(root, "dist"), old);
  renameSync(tmp, join(root, "dist"));
  rmSync(old, { recursive: true, force: true });
  // Warmed up where it stays: a code cache keeps the file name its code was compiled under, which
  // stack traces and profiles then show.
  output += warmUp(root, join(root, "dist"));
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
