/** Types of scripts/build.js, which stays plain JavaScript because it runs before anything is compiled. */
export declare function buildIsFresh(root?: string): boolean;
export declare function build(root?: string): { status: number; output: string };
