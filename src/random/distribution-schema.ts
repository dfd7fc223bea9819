/**
 * The input schema of distributions: what a scenario file may write where a distribution is expected,
 * validated by zod and normalized to a DistributionSpec (distributions.ts). Kept apart from the
 * variates so that the run path (worker threads) never loads zod: it gets specs already validated.
 */
import * as z from "zod";
import { makeDistribution, Z99, type Distribution, type DistributionSpec, type DistributionType } from "./distributions.js";
import { durationSchema, rateSchema } from "./unit-schemas.js";
import { formatDuration, formatRate } from "./units.js";

const TYPES: readonly DistributionType[] = [
  "constant",
  "uniform",
  "exponential",
  "normal",
  "lognormal",
  "erlang",
  "gamma",
  "pareto",
  "empirical",
];

function shown(x: unknown): string {
  if (x === undefined) return "nothing";
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** Edit distance, for "did you mean" hints on misspelled keys and types. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function didYouMean(word: string, candidates: readonly string[]): string {
  let best = "";
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [c, dist];
  }
  return bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

/** A duration parameter that must be strictly positive (a zero mean or scale is degenerate). */
function positiveDuration(field: string) {
  return durationSchema.pipe(
    z.number().gt(0, { error: (issue) => `${field} must be greater than 0, found ${formatDuration(issue.input as number)}` }),
  );
}

/** A dimensionless number parameter (shape, sigma, ...). */
function numberParam(field: string, rule: "positive" | "any") {
  const base = z.number({
    error: (issue) =>
      issue.input === undefined
        ? `missing ${field}: expected a number`
        : `${field} must be a finite number, found ${shown(issue.input)}`,
  });
  return rule === "positive"
    ? base.gt(0, { error: (issue) => `${field} must be greater than 0, found ${shown(issue.input)}` })
    : base;
}

/** A strict object for one `type`: unknown keys are errors, named with a spelling hint. */
function specObject<T extends DistributionType, S extends z.ZodRawShape>(type: T, shape: S) {
  const allowed = ["type", ...Object.keys(shape)];
  return z.strictObject(
    { type: z.literal(type), ...shape },
    {
      error: (issue) => {
        if (issue.code !== "unrecognized_keys") return undefined;
        const keys = issue.keys.map((k) => `"${k}"${didYouMean(k, allowed)}`).join(", ");
        return `unknown ${issue.keys.length === 1 ? "key" : "keys"} ${keys} for type ${type}; allowed: ${allowed.join(", ")}`;
      },
    },
  );
}

const constantInput = specObject("constant", { value: durationSchema });

const uniformInput = specObject("uniform", { min: durationSchema, max: durationSchema }).superRefine((s, ctx) => {
  if (s.max < s.min) {
    ctx.addIssue({
      code: "custom",
      path: ["max"],
      message: `max (${formatDuration(s.max)}) must not be less than min (${formatDuration(s.min)})`,
    });
  }
});

const exponentialInput = specObject("exponential", {
  mean: positiveDuration("mean").optional(),
  rate: rateSchema.optional(),
}).superRefine((s, ctx) => {
  if (s.mean !== undefined && s.rate !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["rate"],
      message: `give either mean or rate, not both (mean ${formatDuration(s.mean)} is rate ${formatRate(1 / s.mean)})`,
    });
  } else if (s.mean === undefined && s.rate === undefined) {
    ctx.addIssue({ code: "custom", path: ["mean"], message: "missing mean: an exponential needs mean (e.g. 20ms) or rate (e.g. 50/s)" });
  } else if (s.rate === 0) {
    ctx.addIssue({ code: "custom", path: ["rate"], message: "rate must be greater than 0, found 0/s" });
  }
});

const normalInput = specObject("normal", { mean: durationSchema, stddev: positiveDuration("stddev") });

const lognormalInput = specObject("lognormal", {
  median: positiveDuration("median").optional(),
  p99: positiveDuration("p99").optional(),
  mu: numberParam("mu", "any").optional(),
  sigma: numberParam("sigma", "positive").optional(),
}).superRefine((s, ctx) => {
  const byQuantiles = s.median !== undefined || s.p99 !== undefined;
  const byLogs = s.mu !== undefined || s.sigma !== undefined;
  if (byQuantiles && byLogs) {
    ctx.addIssue({ code: "custom", path: [s.mu !== undefined ? "mu" : "sigma"], message: "give either median and p99, or mu and sigma, not both" });
  } else if (!byQuantiles && !byLogs) {
    ctx.addIssue({ code: "custom", path: ["median"], message: "missing median: a lognormal needs median and p99 (e.g. 20ms and 200ms), or mu and sigma" });
  } else if (byQuantiles) {
    if (s.median === undefined) ctx.addIssue({ code: "custom", path: ["median"], message: "missing median: p99 needs a median to go with it" });
    else if (s.p99 === undefined) ctx.addIssue({ code: "custom", path: ["p99"], message: "missing p99: median needs a p99 to go with it" });
    else if (!(s.p99 > s.median)) {
      ctx.addIssue({
        code: "custom",
        path: ["p99"],
        message: `p99 (${formatDuration(s.p99)}) must be greater than median (${formatDuration(s.median)})`,
      });
    }
  } else if (s.mu === undefined) ctx.addIssue({ code: "custom", path: ["mu"], message: "missing mu: sigma needs a mu to go with it" });
  else if (s.sigma === undefined) ctx.addIssue({ code: "custom", path: ["sigma"], message: "missing sigma: mu needs a sigma to go with it" });
});

/** Above this, k uniforms per sample gets slow; gamma does any shape in ~2. */
const MAX_ERLANG_K = 1000;

const erlangInput = specObject("erlang", {
  k: z
    .number({ error: (issue) => (issue.input === undefined ? "missing k: expected an integer from 1" : `k must be an integer, found ${shown(issue.input)}`) })
    .int({ error: (issue) => `k must be an integer, found ${shown(issue.input)}` })
    .min(1, { error: (issue) => `k must be at least 1, found ${shown(issue.input)}` })
    .max(MAX_ERLANG_K, { error: (issue) => `k must be at most ${MAX_ERLANG_K} (use gamma for larger shapes), found ${shown(issue.input)}` }),
  mean: positiveDuration("mean"),
});

const gammaInput = specObject("gamma", {
  shape: numberParam("shape", "positive"),
  scale: positiveDuration("scale").optional(),
  mean: positiveDuration("mean").optional(),
}).superRefine((s, ctx) => {
  if (s.scale !== undefined && s.mean !== undefined) {
    ctx.addIssue({ code: "custom", path: ["mean"], message: "give either scale or mean, not both" });
  } else if (s.scale === undefined && s.mean === undefined) {
    ctx.addIssue({ code: "custom", path: ["scale"], message: "missing scale: a gamma needs shape and scale, or shape and mean" });
  }
});

const paretoInput = specObject("pareto", { scale: positiveDuration("scale"), shape: numberParam("shape", "positive") });

const empiricalInput = specObject("empirical", {
  values: z
    .array(durationSchema, { error: (issue) => `values must be a list of durations, found ${shown(issue.input)}` })
    .min(1, { error: "values must list at least one value" }),
});

const objectInput = z.discriminatedUnion(
  "type",
  [constantInput, uniformInput, exponentialInput, normalInput, lognormalInput, erlangInput, gammaInput, paretoInput, empiricalInput],
  {
    error: (issue) => {
      if (issue.code !== "invalid_union") return undefined;
      const type = (issue.input as { type?: unknown } | undefined)?.type;
      const allowed = TYPES.join(", ");
      if (type === undefined) return `missing type: expected one of ${allowed}`;
      const hint = typeof type === "string" ? didYouMean(type, TYPES) : "";
      return `unknown distribution type ${shown(type)}${hint}; expected one of ${allowed}`;
    },
  },
);

/** What a scenario file may hold where a distribution is expected. */
export type DistributionInput = number | string | z.input<typeof objectInput>;

function normalize(s: z.output<typeof objectInput>): DistributionSpec {
  switch (s.type) {
    case "constant":
      return { type: "constant", value: s.value };
    case "uniform":
      return { type: "uniform", min: s.min, max: s.max };
    case "exponential":
      return { type: "exponential", mean: s.mean ?? 1 / s.rate! };
    case "normal":
      return { type: "normal", mean: s.mean, stddev: s.stddev };
    case "lognormal":
      if (s.mu !== undefined) return { type: "lognormal", mu: s.mu, sigma: s.sigma! };
      return { type: "lognormal", mu: Math.log(s.median!), sigma: (Math.log(s.p99!) - Math.log(s.median!)) / Z99 };
    case "erlang":
      return { type: "erlang", k: s.k, mean: s.mean };
    case "gamma":
      return { type: "gamma", shape: s.shape, scale: s.scale ?? s.mean! / s.shape };
    case "pareto":
      return { type: "pareto", scale: s.scale, shape: s.shape };
    case "empirical":
      return { type: "empirical", values: s.values };
  }
}

/** Re-raises a nested parse's issues in the enclosing parse; their paths are relative, so the parent's path is prefixed. */
function forward(error: z.ZodError, ctx: z.RefinementCtx): void {
  // A finished issue is a raw issue with its message filled in; the cast only drops the index signature.
  for (const issue of error.issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
}

/**
 * Validates a distribution as written in a scenario and outputs its normalized spec. A bare number
 * or duration string is a constant. Scalars and objects are dispatched by hand rather than with
 * z.union, because a failed union reports "Invalid input" and buries the real problem; this way
 * every issue keeps its own path (e.g. `latency.p99`) and message.
 */
export const distributionSchema = z.custom<DistributionInput>().transform((input, ctx): DistributionSpec => {
  const isObject = typeof input === "object" && input !== null && !Array.isArray(input);
  if (!isObject && typeof input !== "number" && typeof input !== "string") {
    ctx.addIssue({
      code: "custom",
      message:
        `${input === undefined ? "missing distribution" : `expected a distribution, found ${shown(input)}`}: ` +
        "give a duration such as 20ms (a constant) or an object such as {type: exponential, mean: 20ms}",
    });
    return z.NEVER;
  }
  if (!isObject) {
    const value = durationSchema.safeParse(input);
    if (value.success) return { type: "constant", value: value.data };
    forward(value.error, ctx);
    return z.NEVER;
  }
  const spec = objectInput.safeParse(input);
  if (spec.success) return normalize(spec.data);
  forward(spec.error, ctx);
  return z.NEVER;
});

/** Validates, normalizes and builds in one step; throws a ZodError on a bad spec. */
export function parseDistribution(input: unknown): Distribution {
  return makeDistribution(distributionSchema.parse(input));
}
