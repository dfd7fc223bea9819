#!/usr/bin/env node
// Runs the built command line (dist/cli.js, which `npm run build` makes and `npm install` runs as
// `prepare`). If dist/ is missing or older than src/ (sources edited since the last build), it runs
// the TypeScript sources through tsx instead: slower to start, but never a stale build.
import { buildIsFresh } from "../scripts/fresh.js";

if (buildIsFresh()) {
  await import("../dist/cli.js");
} else {
  process.stderr.write("svcsim: dist/ is missing or older than src/; running the TypeScript sources (npm run build makes start-up fast)\n");
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
