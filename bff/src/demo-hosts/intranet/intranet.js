// The intranet's own script: load okr-embed from the BFF and hand it a token provider that
// asks this site's server, which signs tokens for its logged-in user.
const bffOrigin = document.querySelector('meta[name="okr-bff"]').content;
const { configure } = await import(`${bffOrigin}/widgets/okr-embed.js`);

async function fetchToken() {
  const response = await fetch('/token', { method: 'POST' });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()).token;
}

configure({ baseUrl: bffOrigin, tokenProvider: fetchToken });
