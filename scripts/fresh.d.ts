/** Types of scripts/fresh.js, which stays plain JavaScript because bin/svcsim.js runs it before anything is compiled. */
export declare const ROOT: string;
export declare const STAMP: string;
export declare const CONFIG_FILES: readonly string[];
export declare const ASSETS: readonly string[];
export declare function newestInput(root: string): number;
export declare function buildIsFresh(root?: string): boolean;
