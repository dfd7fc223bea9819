/**
 * A count and its noun for the terminal's messages ("1 run", "1,200 runs"): numbers grouped the
 * English way whatever the machine's locale, so messages and the tests reading them stay the same.
 */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
