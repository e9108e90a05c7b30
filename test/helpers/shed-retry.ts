/** How often a setup request refused by load shedding (503, the suite on a busy machine) is sent again. */
const SHED_RETRIES = 5;

/**
 * Sends a test's setup request again while load shedding refuses it (under-pressure's 503 "overloaded",
 * src/api/http/security.ts), after the server's Retry-After (1 to 5 s), at most SHED_RETRIES times. Setup only: a
 * test of what the API answers never retries.
 */
export async function retryWhenShed<R extends { status: number; text: string; retryAfter?: string | null }>(
  send: () => Promise<R>,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    if (res.status !== 503 || !res.text.includes('overloaded') || attempt > SHED_RETRIES) return res;
    const wait = Math.min(5, Math.max(1, Number(res.retryAfter) || 1));
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}
