/**
 * The imported scenario as YAML text, each note a comment on the field it is about (before a
 * mapping or list, after a value), the file's notes at its top. The yaml library writes it, so
 * quoting is never hand-made.
 */
import YAML from "yaml";
import type { Imported } from "./to-scenario.js";

/** Each line of a note as a comment line (the library adds the '#'). */
const comment = (lines: string[]) => lines.flatMap((l) => l.split("\n")).map((l) => ` ${l}`).join("\n");

export function renderScenario({ scenario, notes }: Imported): string {
  const doc = new YAML.Document(scenario);
  const byPath = new Map<string, { path: (string | number)[]; lines: string[] }>();
  for (const n of notes) {
    const key = JSON.stringify(n.path);
    const entry = byPath.get(key) ?? { path: n.path, lines: [] };
    entry.lines.push(n.text);
    byPath.set(key, entry);
  }
  for (const { path, lines } of byPath.values()) {
    if (path.length === 0) {
      doc.commentBefore = comment(lines);
      continue;
    }
    const node = doc.getIn(path, true);
    if (YAML.isScalar(node)) node.comment = comment(lines);
    else if (YAML.isCollection(node)) node.commentBefore = comment(lines);
    else throw new Error(`import: a note on ${path.join(".")}, which the scenario does not have: a bug`);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
