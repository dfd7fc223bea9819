/**
 * Durations and rates as people write them in scenario files ("250ms", "5m", "100/s"), turned into
 * the simulator's one internal unit: seconds (and events per second). Source of truth for the
 * grammar: this file; the units follow Go's time.ParseDuration, which Kubernetes users already know.
 * The zod schemas of scenario fields are in unit-schemas.ts, so the run path does not load zod.
 */
/** Seconds per unit. Case-sensitive on purpose: "M" could mean mega or month, "m" is minutes. */
const UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  "\u00b5s": 1e-6, // micro sign, what keyboards type
  "\u03bcs": 1e-6, // Greek mu, what some editors substitute
  ms: 1e-3,
  s: 1,
  m: 60,
  min: 60,
  h: 3600,
};

const UNIT_LIST = "ns, us, µs, ms, s, m, min or h";
export const DURATION_HINT = "expected a duration such as 250ms, 2s or 5m (a number is seconds)";
export const RATE_HINT = "expected a rate such as 100/s, 6000/m or 50/min (a number is per second)";

/** One `<number><unit>` piece; compound durations ("1m30s") are several in a row. */
const PIECE = /\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z\u00b5\u03bc]*)\s*/y;
const PLAIN_NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Quotes strings and spells out everything else, so a message shows exactly what was written. */
export function shown(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (x === undefined) return "nothing";
  if (typeof x === "number") return String(x);
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** Seconds, or the message explaining why `x` is not a duration (shared by the throwing and zod APIs). */
export function readDuration(x: unknown): number | Error {
  if (typeof x === "number") return checkSeconds(x, x);
  if (typeof x !== "string") return new Error(`${DURATION_HINT}, found ${shown(x)}`);
  // A unitless string is what a CLI flag or a quoted YAML value delivers; treat it like the number.
  if (PLAIN_NUMBER.test(x)) return checkSeconds(Number(x), x);
  let total = 0;
  let pieces = 0;
  PIECE.lastIndex = 0;
  while (PIECE.lastIndex < x.length) {
    const m = PIECE.exec(x);
    if (m === null) break;
    const [, amount, unit] = m;
    if (unit === "") return new Error(`missing unit after ${amount} in ${shown(x)}; use ${UNIT_LIST}`);
    const factor = UNITS[unit];
    if (factor === undefined) {
      return new Error(`unknown unit "${unit}" in duration ${shown(x)}; use ${UNIT_LIST}`);
    }
    if (amount.startsWith("-")) return new Error(`a duration must not be negative, found ${shown(x)}`);
    // Divide by 1000 rather than multiply by 0.001: an exact integer divided rounds once, so
    // "20ms" is the same double as the literal 0.02.
    total += factor < 1 ? Number(amount) / Math.round(1 / factor) : Number(amount) * factor;
    pieces++;
  }
  if (pieces === 0 || PIECE.lastIndex !== x.length) return new Error(`${DURATION_HINT}, found ${shown(x)}`);
  return checkSeconds(total, x);
}

function checkSeconds(seconds: number, written: unknown): number | Error {
  if (Number.isNaN(seconds)) return new Error(`${DURATION_HINT}, found ${shown(written)}`);
  if (seconds < 0) return new Error(`a duration must not be negative, found ${shown(written)}`);
  if (seconds === Infinity) return new Error(`a duration must be finite, found ${shown(written)}`);
  return seconds;
}

/** Events per second, or the message explaining why `x` is not a rate. */
export function readRate(x: unknown): number | Error {
  if (typeof x === "number" || (typeof x === "string" && PLAIN_NUMBER.test(x))) return checkRate(Number(x), x);
  if (typeof x !== "string") return new Error(`${RATE_HINT}, found ${shown(x)}`);
  const slash = x.indexOf("/");
  const count = x.slice(0, slash).trim();
  const per = x.slice(slash + 1).trim();
  if (slash < 0 || !PLAIN_NUMBER.test(count)) return new Error(`${RATE_HINT}, found ${shown(x)}`);
  // "/s" means "per one second"; "/250ms" is allowed too and means what it says.
  const unitOnly = /^[a-zA-Z\u00b5\u03bc]+$/.test(per);
  if (unitOnly && UNITS[per] === undefined) return new Error(`unknown unit "${per}" after "/" in rate ${shown(x)}; use ${UNIT_LIST}`);
  const window = readDuration(unitOnly ? `1${per}` : per);
  if (window instanceof Error) return new Error(`bad time window after "/" in rate ${shown(x)}; ${RATE_HINT}`);
  if (window === 0) return new Error(`a rate needs a non-zero time window, found ${shown(x)}`);
  return checkRate(Number(count) / window, x);
}

function checkRate(perSecond: number, written: unknown): number | Error {
  if (Number.isNaN(perSecond)) return new Error(`${RATE_HINT}, found ${shown(written)}`);
  if (perSecond < 0) return new Error(`a rate must not be negative, found ${shown(written)}`);
  if (perSecond === Infinity) return new Error(`a rate must be finite, found ${shown(written)}`);
  return perSecond;
}

/**
 * Seconds from a duration: a number is already seconds; a string is `<number><unit>` pieces such as
 * "250ms", "1.5s", "500us", "1m30s", or a unitless number of seconds ("0"). Throws on negative,
 * non-finite or unparseable input, naming what was found and what is allowed.
 */
export function parseDuration(x: number | string): number {
  const seconds = readDuration(x);
  if (seconds instanceof Error) throw seconds;
  return seconds;
}

/** Events per second from a rate: a number is per second; strings are "100/s", "6000/m", "50/min", "2/h". */
export function parseRate(x: number | string): number {
  const perSecond = readRate(x);
  if (perSecond instanceof Error) throw perSecond;
  return perSecond;
}

/** Four significant digits: enough to tell values apart in a message without float noise. */
function short(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/**
 * A duration for messages and descriptions, in the largest unit that keeps it >= 1 ("250ms", "1.5m").
 * The output parses back with parseDuration to within four significant digits.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  // Round first so 0.99999s prints as "1s", not "1000ms".
  const s = Number(seconds.toPrecision(4));
  if (s === 0) return "0s";
  if (s < 1e-6) return `${short(s * 1e9)}ns`;
  if (s < 1e-3) return `${short(s * 1e6)}µs`;
  if (s < 1) return `${short(s * 1e3)}ms`;
  if (s < 60) return `${short(s)}s`;
  if (s < 3600) return `${short(s / 60)}m`;
  return `${short(s / 3600)}h`;
}

/** A rate for messages, per second ("100/s"). */
export function formatRate(perSecond: number): string {
  return Number.isFinite(perSecond) ? `${short(perSecond)}/s` : `${perSecond}/s`;
}
