import { createContext, useContext } from 'react';
import type { ApiClient } from './api/api-client';
import type { EventCategory } from './api/api.types';
import type { LiveStream } from './live/live-stream';

export interface AppContextValue {
  api: ApiClient;
  /** Harmony's events by category, from GET /v1/event-types (empty while loading): what a webhook selects. */
  categories: EventCategory[];
  /** The operational events (webhook.*), which only the operational endpoint selects (null while loading). */
  operationalCategory: EventCategory | null;
  /** Says something to screen readers and shows it in the status bar. */
  announce(message: string): void;
  /** The tab's live stream: what changed, as it happens. */
  live: LiveStream;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
