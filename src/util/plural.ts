/**
 * A count and its noun for the terminal's messages ("1 run", "1,200 runs"): numbers grouped the
 * English way whatever the machine's locale, so messages and the tests reading them stay the same.
 */
export const plural = (n: number, one: string, many = `${one}s`): string => `${grouped(n)} ${n === 1 ? one : many}`;

/**
 * `n.toLocaleString("en")`, by hand for whole numbers: the first `toLocaleString` of a process
 * loads ICU's number formatting (~10 ms of CPU), too much for a count in a message.
 */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en");
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}
