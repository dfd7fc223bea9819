/**
 * Reading Kubernetes manifests as `kubectl get -o yaml` prints them: multi-document YAML, each
 * document an object or a `kind: List` of them (nested lists too), in one or more files. Every
 * object keeps where it came from, so what cannot be mapped can be named.
 */
import { readFileSync, statSync } from "node:fs";
import YAML from "yaml";
import { ScenarioError } from "../scenario/errors.js";
import { decodeText, MAX_ALIASES } from "../scenario/yaml.js";

/** A whole namespace's worth of objects: far more than a scenario, far less than memory. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** One Kubernetes object and where it was read. */
export interface Manifest {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string | undefined;
  /** The object as parsed: plain data. */
  object: Record<string, unknown>;
  /** `file` or `file#<document>` and, inside a List, `items[i]`. */
  source: string;
}

export const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function readText(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ScenarioError(`${file}: cannot read the manifests: it is a directory, not a file`);
    if (!st.isFile()) throw new ScenarioError(`${file}: cannot read the manifests: not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(`${file}: cannot read the manifests: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (e as Error).message}`);
  }
  if (size > MAX_MANIFEST_BYTES) throw new ScenarioError(`${file}: the file is too large: found ${size.toLocaleString("en")} bytes; allowed: at most ${MAX_MANIFEST_BYTES.toLocaleString("en")} bytes`);
  return decodeText(readFileSync(file), file);
}

/** The objects of one YAML text: every document, `kind: List` items flattened. */
export function parseManifests(text: string, file: string): Manifest[] {
  const docs = YAML.parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  const out: Manifest[] = [];
  const many = Array.isArray(docs) && docs.length > 1;
  if (!Array.isArray(docs)) return out; // an empty stream
  docs.forEach((doc, d) => {
    if (doc.errors.length > 0) {
      throw new ScenarioError(
        doc.errors.map((e) => {
          const pos = e.linePos?.[0];
          return `${file}${pos ? `:${pos.line}:${pos.col}` : ""}: YAML syntax error: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`;
        }),
      );
    }
    const value = doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
    const where = many ? `${file}#${d + 1}` : file;
    collect(value, where, out);
  });
  return out;
}

function collect(value: unknown, where: string, out: Manifest[]): void {
  if (value === null || value === undefined) return; // an empty document (a trailing ---)
  if (!isObj(value)) throw new ScenarioError(`${where}: not a Kubernetes object: found ${Array.isArray(value) ? "a list" : JSON.stringify(value)}; allowed: a mapping with kind and metadata, or a kind: List`);
  if (value.kind === "List" || (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items))) {
    (Array.isArray(value.items) ? value.items : []).forEach((item, i) => collect(item, `${where} items[${i}]`, out));
    return;
  }
  if (typeof value.kind !== "string") throw new ScenarioError(`${where}: not a Kubernetes object: missing kind; allowed: a mapping with kind and metadata`);
  const meta = isObj(value.metadata) ? value.metadata : {};
  out.push({
    kind: value.kind,
    apiVersion: typeof value.apiVersion === "string" ? value.apiVersion : "",
    name: typeof meta.name === "string" ? meta.name : "",
    namespace: typeof meta.namespace === "string" ? meta.namespace : undefined,
    object: value,
    source: where,
  });
}

/** Every object of every file, in the order given. */
export function readManifests(files: readonly string[]): Manifest[] {
  return files.flatMap((f) => parseManifests(readText(f), f));
}
