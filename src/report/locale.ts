/**
 * The CSV dialects svcsim writes: `en`, comma-separated with a decimal dot (the default), and `de`,
 * semicolon-separated with a decimal comma, as German and most continental European spreadsheets
 * expect. A module of its own, without dependencies, so the command line can parse the option cheaply.
 */
export type CsvLocale = "en" | "de";
export const CSV_LOCALES: readonly CsvLocale[] = ["en", "de"];
