// The host page's own script: it wires the widgets to the BFF and to the host's token endpoint
// (here the demo's stand-in for the host server). No inline script, so a strict CSP holds.
import { configure } from '/widgets/okr-embed.js';

async function fetchToken() {
  const response = await fetch('/demo/token', { method: 'POST' });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const { token } = await response.json();
  return token;
}

configure({ baseUrl: window.location.origin, tokenProvider: fetchToken });
