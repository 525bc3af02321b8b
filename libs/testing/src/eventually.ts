/**
 * Retries an assertion until it passes or the time is up, then throws its last
 * failure. For effects that follow the one a test waited for (a counter bumped
 * right after the record it produced was seen), not for sleeping.
 */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
