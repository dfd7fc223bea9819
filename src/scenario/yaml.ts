/**
 * Reading YAML that may be hostile or simply wrong: a scenario file must be a regular text file of
 * sane size, and its YAML may not expand aliases without bound ("billion laughs"), nest without
 * bound or repeat a key. Every problem is a ScenarioError with a position, never a stack trace.
 * The yaml library does the parsing; its `maxAliasCount` and nesting guard do the heavy lifting.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import YAML from "yaml";
import { ScenarioError } from "./errors.js";

/** A scenario is a few kilobytes; an empirical distribution of 100,000 measured values is under 1 MB. */
export const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;
/** Alias expansions allowed in one document (the yaml library's default): plenty for `<<: *defaults`. */
export const MAX_ALIASES = 100;
/** Nesting a scenario never needs (its deepest field is about 6 levels down). */
export const MAX_DEPTH = 32;

const fileProblem = (file: string, problem: string, found: string, allowed: string) => new ScenarioError(`${file}: ${problem}: found ${found}; allowed: ${allowed}`);

/** The text of a scenario file: a regular file, at most MAX_SCENARIO_BYTES, UTF-8 text without NUL bytes. */
export function readScenarioFile(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory, not a file" : (e as Error).message;
    throw new ScenarioError(`${file}: cannot read the scenario file: ${why}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ScenarioError(`${file}: cannot read the scenario file: it is a directory, not a file`);
    // A FIFO or a device (/dev/zero) could block or never end: read only regular files.
    if (!st.isFile()) throw fileProblem(file, "not a regular file", "a device, pipe or socket", "a YAML file");
    if (st.size > MAX_SCENARIO_BYTES) {
      throw fileProblem(file, "the file is too large for a scenario", `${st.size.toLocaleString("en")} bytes`, `at most ${MAX_SCENARIO_BYTES.toLocaleString("en")} bytes`);
    }
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buf, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeText(buf.subarray(0, read), file);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text, or a ScenarioError for binary data (a NUL byte or bytes that are not UTF-8). */
export function decodeText(buf: Uint8Array, file: string): string {
  const nul = buf.indexOf(0);
  if (nul >= 0) throw fileProblem(file, "binary data, not a YAML text file", `a NUL byte at byte ${nul}`, "a UTF-8 text file");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    throw fileProblem(file, "not UTF-8 text", "bytes that are not UTF-8", "a UTF-8 text file");
  }
}

/** The line of `text` a 1-based line number points at, trimmed and cut for a message. */
function lineAt(text: string, line: number): string {
  const lines = text.split("\n");
  const s = (lines[line - 1] ?? "").trim();
  if (s === "") return lines.slice(line).every((l) => l.trim() === "") ? "the end of the file" : "an empty line";
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/** What is wrong and what is allowed, for the yaml library's error codes users meet. */
function describeYamlError(e: YAML.YAMLError): { problem: string; allowed: string } {
  switch (e.code) {
    case "DUPLICATE_KEY":
      return { problem: "duplicate key", allowed: "each key once in a mapping" };
    case "MULTIPLE_DOCS":
      return { problem: "more than one YAML document (a --- line)", allowed: "one document per scenario file" };
    case "RESOURCE_EXHAUSTION":
      return { problem: "nested too deeply", allowed: `at most ${MAX_DEPTH} levels of nesting` };
    case "TAB_AS_INDENT":
      return { problem: "a tab used for indentation", allowed: "spaces for indentation" };
    default: {
      // The library's message without the position it repeats ("... at line 3, column 1:").
      const first = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      return { problem: `YAML syntax error: ${first.replace(/\.$/, "")}`, allowed: "valid YAML" };
    }
  }
}

/** Depth of nested lists and mappings in a parsed value (iterative: the value may be deep). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Parses one YAML document into plain data. `where` names the source in messages: a file (messages
 * then carry `:line:col`) or a `--set` expression.
 */
export function parseYaml(text: string, where: string, opts: { positions?: boolean } = {}): unknown {
  const positions = opts.positions ?? true;
  const doc = YAML.parseDocument(text, { prettyErrors: true, merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const { problem, allowed } = describeYamlError(e);
        const at = positions && pos ? `${where}:${pos.line}:${pos.col}` : where;
        const found = positions && pos ? lineAt(text, pos.line) : JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
        return `${at}: ${problem}: found ${found}; allowed: ${allowed}`;
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const message = (e as Error).message;
    if (/alias count/i.test(message)) {
      throw new ScenarioError(
        `${where}: YAML aliases: too many alias expansions (a "billion laughs" document?): found more than ${MAX_ALIASES}; allowed: at most ${MAX_ALIASES}, counting the aliases inside aliased nodes`,
      );
    }
    if (/alias/i.test(message)) throw new ScenarioError(`${where}: YAML aliases: an alias without its anchor: found ${JSON.stringify(message)}; allowed: *name after an &name anchor`);
    throw new ScenarioError(`${where}: YAML: cannot read the document: found ${JSON.stringify(message)}; allowed: valid YAML`);
  }
  const depth = depthOf(value);
  if (depth > MAX_DEPTH) throw new ScenarioError(`${where}: nested too deeply: found more than ${MAX_DEPTH} levels; allowed: at most ${MAX_DEPTH} levels of nesting`);
  return value;
}
