/**
 * Request throttling of an API stage (`SecureApi`, `SecureHttpApi`): a token bucket that refills
 * at `rateLimit` requests per second and holds at most `burstLimit` requests. Requests over the
 * limit get `429 Too Many Requests` (counted as 4XX errors) and never reach a handler.
 *
 * The account's regional quota still applies above these limits (by default 10,000 requests per
 * second with a burst of 5,000, shared by every API in the account and region). Values above it
 * are accepted, because the quota can be raised; until it is, the quota decides.
 */
export interface ApiThrottleOptions {
  /**
   * Steady-state requests per second: a finite number of 0 or more (0 rejects every request).
   *
   * @default - 1,000 for a stage; for a usage plan, the stage's
   */
  readonly rateLimit?: number;

  /**
   * The most requests accepted at once above the steady rate: an integer of 0 or more (0 rejects
   * every request).
   *
   * @default - 2,000 for a stage; for a usage plan, the stage's
   */
  readonly burstLimit?: number;
}
