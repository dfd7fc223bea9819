/**
 * The Kubernetes Indexed Job of deploy/kubernetes/sweep-job.yaml and its image's Dockerfile: the
 * manifest is a valid Indexed Job whose shard count agrees with itself, and every pod's command
 * (the image's entrypoint plus the Job's args, with Kubernetes' $(VAR) expansion) is a valid
 * svcsim invocation, checked with --dry-run for every index.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";

const root = join(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "svcsim-deploy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Container {
  args: string[];
  env: { name: string; value?: string }[];
  volumeMounts: { name: string; mountPath: string }[];
}
const docs = YAML.parseAllDocuments(readFileSync(join(root, "deploy/kubernetes/sweep-job.yaml"), "utf8")).map((d) => d.toJS() as Record<string, any>);
const job = docs.find((d) => d.kind === "Job")!;
const container = job.spec.template.spec.containers[0] as Container;
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");

describe("deploy/kubernetes/sweep-job.yaml", () => {
  it("is an Indexed Job with retries per index, one shard per completion", () => {
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.spec.completionMode).toBe("Indexed");
    expect(job.spec.backoffLimitPerIndex).toBeGreaterThanOrEqual(1);
    expect(job.spec.template.spec.restartPolicy).toBe("Never"); // required with backoffLimitPerIndex
    const shards = Number(container.env.find((e) => e.name === "SVCSIM_SHARD_COUNT")?.value);
    expect(shards).toBe(job.spec.completions);
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    const claim = job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName;
    expect(docs.find((d) => d.kind === "PersistentVolumeClaim")?.metadata.name).toBe(claim);
    expect(container.args.some((a) => a.startsWith(container.volumeMounts[0].mountPath))).toBe(true);
  });

  it("runs a valid svcsim command in every pod (the image's entrypoint and the Job's args)", () => {
    const entrypoint = JSON.parse(/^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)![1]) as string[];
    expect(entrypoint).toEqual(["node", "bin/svcsim.js"]);
    const mount = container.volumeMounts[0].mountPath;
    for (let index = 0; index < job.spec.completions; index++) {
      const env: Record<string, string> = { JOB_COMPLETION_INDEX: String(index) };
      for (const e of container.env) if (e.value !== undefined) env[e.name] = e.value;
      // Kubernetes expands $(VAR) in args from the container's environment.
      const args = container.args.map((a) => a.replace(/\$\(([A-Z_]+)\)/g, (_, v: string) => env[v] ?? "").replace(mount, tmp));
      const r = spawnSync(process.execPath, [join(root, entrypoint[1]), ...args, "--dry-run"], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`shard ${index + 1}/${job.spec.completions} runs`);
      expect(r.stdout).toContain(`reports to ${tmp}/shard-${index}/`);
    }
  });
});

describe("Dockerfile", () => {
  it("builds the compiled CLI and ships what the Job's command needs", () => {
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    for (const path of ["bin", "scenarios", "scripts"]) expect(dockerfile).toMatch(new RegExp(`^COPY ${path} \\./${path}$`, "m"));
    const scenario = container.args[1];
    expect(readFileSync(join(root, scenario), "utf8")).toContain("sweep:");
  });
});
