/* The API key lives in sessionStorage: gone when the tab closes, never in localStorage or a cookie. */
const KEY = 'harmony-webhooks.api-key';

export function storedApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeApiKey(apiKey: string | null): void {
  try {
    if (apiKey) sessionStorage.setItem(KEY, apiKey);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the key then lives only in memory for this page.
  }
}
