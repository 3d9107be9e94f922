// A partner product embedding okr-embed under its own brand: dark theme, German, its own word
// for an objective, and its own token endpoint.
const bffOrigin = document.querySelector('meta[name="okr-bff"]').content;
const { configure } = await import(`${bffOrigin}/widgets/okr-embed.js`);

configure({
  baseUrl: bffOrigin,
  locale: 'de',
  theme: 'dark',
  wording: {
    objective: 'Vorhaben',
    objectives: 'Vorhaben',
    whyGoal: 'Ausgerichtetes Vorhaben',
    keyResults: 'Messgrößen',
    emptyGoals: 'Noch keine Vorhaben.',
  },
  tokenProvider: async () => {
    const response = await fetch('/token', { method: 'POST' });
    if (!response.ok) throw new Error(`Token-Endpunkt antwortete ${response.status}`);
    return (await response.json()).token;
  },
});
