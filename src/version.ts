/** svcsim's version, read from package.json so run.json always names the code that made it. */
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
export const SVCSIM_VERSION: string = pkg.version;
