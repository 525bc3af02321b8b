/** Builds dist/apps/<app> when any of its inputs changed since its last build; returns its main.js. Throws when the build fails. */
export function ensureAppBuilt(app: string, options?: { log?: (line: string) => void; outDir?: string }): string;
/** Why dist/apps/<app> (under outDir, default dist) must be (re)built, or null when it is up to date with its sources. */
export function staleReason(app: string, outDir?: string): string | null;
