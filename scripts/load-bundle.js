/**
 * Runs one of the build's CommonJS bundles (dist/svcsim.cjs, dist/worker.cjs) with V8's code cache:
 * the bytecode V8 compiled for it in a warm-up run of the build, saved beside it as `<bundle>.cache`,
 * so a start deserialises compiled code instead of parsing and compiling ~1.4 MB of JavaScript
 * (Node 20 has no compile cache for ES modules, hence CommonJS run through `vm.Script`). The build
 * copies this file into dist/. A cache V8 rejects (another Node or V8 version, other V8 flags) or a
 * missing one only costs the compile: nothing is written at run time, so a read-only install works.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

/**
 * Set by the build's warm-up runs: each bundle writes its code cache once it has run the code a run
 * needs (`writeCache` below), so the cache holds the functions compiled lazily, not only the top level.
 */
export const WRITE_CACHE_ENV = "SVCSIM_WRITE_CODE_CACHE";

/**
 * What the build puts in place of the bundle's `import()` of a package left outside it. Code
 * deserialised from a cache made in another process has lost what `import()` needs (Node 20: "A
 * dynamic import callback was not specified"), so the bundle imports through this module's own
 * `import()`, which resolves the package from node_modules as the bundle would.
 */
export const IMPORT = "__svcsim_import";
const importPackage = (specifier) => import(specifier);

/** What the build puts in place of `import.meta.url` in the bundle: the bundle's own URL. */
export const URL_PARAMETER = "__svcsim_bundle_url";

/**
 * How the build wraps a bundle's code, as Node wraps a CommonJS module's: the file is this function
 * expression, so the loader compiles the text it read without copying 2 MB into a wrapped string.
 * The bundle's "use strict" then opens the function's body, where it applies.
 */
export const WRAPPER = [`(function (exports, require, module, __filename, __dirname, ${IMPORT}, ${URL_PARAMETER}) {`, "\n})"];

/**
 * Loads and runs the bundle at `url` as Node would a CommonJS module, and returns its exports;
 * `rejected` says whether a cache was there but V8 refused it, `writeCache()` saves the code V8
 * has compiled so far (only when WRITE_CACHE_ENV is set, else it does nothing).
 */
export function loadBundle(url) {
  const file = fileURLToPath(url);
  const cacheFile = `${file}.cache`;
  // The build writes the bundles in ASCII only, so reading them as latin1 is exact, and gives V8 a
  // one-byte string without decoding UTF-8.
  const source = readFileSync(file, "latin1");
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache: compile
  }
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), importPackage, pathToFileURL(file).href);
  const writeCache = () => {
    if (!process.env[WRITE_CACHE_ENV]) return;
    const tmp = `${cacheFile}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
  };
  return { exports: module.exports, rejected: cachedData !== undefined && script.cachedDataRejected === true, writeCache };
}
