/** Types of build-stamp.mjs (plain JavaScript, so bin/tether.mjs loads it before any TypeScript loader). */
export declare const stampPath: string;
export declare function hashContent(content: Uint8Array): string;
export declare function hashContents(entries: Iterable<readonly [string, Uint8Array]>): string;
export declare function checkStamp(root: string): { fresh: true } | { fresh: false; reason: string };
