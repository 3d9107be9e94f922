/**
 * The limits both halves enforce: the BFF refuses past them with a 400, the widgets stop (and
 * count) before them, and the OpenAPI document states them. Change a number here and all three
 * follow.
 */
export const LIMITS = {
  goalTitle: 200,
  goalDescription: 10_000,
  keyResultTitle: 200,
  keyResultUnit: 32,
  keyResultWeightMax: 1_000,
  /** Key results one goal may be created with in one request. */
  keyResultsPerGoal: 25,
  /** Points a progress history answers: the newest ones, oldest first. */
  historyPoints: 500,
  checkInComment: 4_000,
  timeframeName: 100,
  teamKey: 64,
  searchQuery: 200,
  /** Page size when a list is asked for without `limit`. */
  pageSizeDefault: 20,
  /** Asking for more than this gets this many, not an error. */
  pageSizeMax: 100,
  alignmentDepthDefault: 10,
  alignmentDepthMax: 50,
  /** What fits DECIMAL(18,4) with room to spare; bigger numbers are refused, never truncated. */
  decimalMagnitude: 1e13,
} as const;
