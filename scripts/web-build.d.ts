export function ensureWebBuilt(options?: { force?: boolean; log?: (line: string) => void }): boolean;
export function staleReason(): string | null;
export const WEB_OUT: string;
