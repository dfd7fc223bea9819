#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm run build`, which `npm install` runs as `prepare`).
// If dist/ is missing or older than src/ (sources edited since the last build), it runs the
// TypeScript sources through tsx instead: slower to start, but never a stale build.
import { buildIsFresh } from "../scripts/build.js";

if (buildIsFresh()) {
  await import("../dist/cli/main.js");
} else {
  process.stderr.write("svcsim: dist/ is missing or older than src/; running the TypeScript sources (npm run build makes start-up fast)\n");
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
