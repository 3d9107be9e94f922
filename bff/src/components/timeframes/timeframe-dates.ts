/**
 * The calendar day a timeframe's dates are compared with, in UTC as they are stored. Its own
 * module because the goals and alignment services ask for the current timeframe too, and
 * services do not import each other.
 */
export const today = (now = new Date()) => now.toISOString().slice(0, 10);
