/** Types of scripts/load-bundle.js, plain JavaScript as it is copied into dist/ by the build. */
export declare const WRITE_CACHE_ENV: string;
export declare const IMPORT: string;
export declare const URL_PARAMETER: string;
export declare const WRAPPER: readonly [string, string];
export declare function loadBundle(url: URL): { exports: Record<string, unknown>; rejected: boolean; writeCache: () => void };
