/**
 * Before any test runs: rebuilds dist/ when it is missing or older than src/, so the CLI tests,
 * which spawn bin/svcsim.js like a user would, run the compiled JavaScript of the current sources:
 * what ships is what is tested (module paths resolved from dist/, worker entry points), and a
 * stale build can never pass for the current code. Costs nothing when dist/ is fresh.
 */
import { build, buildIsFresh } from "./scripts/build.js";

export default function setup(): void {
  if (buildIsFresh()) return;
  const { status, output } = build();
  if (status === 2) {
    // tsc still emitted every file: dist/ mirrors the sources, and tests need not wait for the types.
    process.stderr.write(`${output}\nvitest: dist/ rebuilt despite the type errors above (npx tsc --noEmit)\n`);
  } else if (status !== 0) {
    throw new Error(`the build failed, so the CLI tests cannot run:\n${output}`);
  }
}
