/**
 * The widgets ask for a token through this; your server signs it for the logged-in user
 * (docs/embedding.md §2; here docs/examples/host-server.mjs) and answers `{ token }`.
 */
export async function fetchOkrToken(): Promise<string> {
  const response = await fetch('/okr-token', { method: 'POST' });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Where the BFF runs: set VITE_OKR_BASE_URL when building (see docs/examples/README.md). */
export const okrBaseUrl: string = import.meta.env.VITE_OKR_BASE_URL;
