/** Saves a benchmark's rows under results/bench/ as JSON (with the machine's description) and CSV. */
import { stringify } from "csv-stringify/sync";
import { cpus } from "node:os";
import { writeFileAtomic } from "../src/report/atomic.js";

export function saveBenchmark(name: string, rows: Record<string, string | number>[]): void {
  const meta = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    date: new Date().toISOString(),
  };
  writeFileAtomic(`results/bench/${name}.json`, JSON.stringify({ ...meta, rows }, null, 2) + "\n");
  writeFileAtomic(`results/bench/${name}.csv`, stringify(rows, { header: true }));
  console.log(`saved results/bench/${name}.json and results/bench/${name}.csv`);
}
