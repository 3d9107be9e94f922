import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
// Defines the elements; React 19 then sets properties and listens to `onokr-…` events itself.
import '@okr-embed/widgets';
import type { Goal } from '@okr-embed/widgets';
// Types only: JSX.IntrinsicElements for the okr-* tags.
import type {} from '@okr-embed/widgets/react-jsx';
import { fetchOkrToken, okrBaseUrl } from './okr-token';

function MyGoals() {
  const [selected, setSelected] = useState<string>();
  const [saved, setSaved] = useState<Goal>();
  return (
    <okr-provider baseUrl={okrBaseUrl} tokenProvider={fetchOkrToken}>
      <okr-goal-list
        owner="me"
        label="My OKRs"
        onokr-goal-select={(event) => setSelected(event.detail.goalId)}
      />
      {selected && (
        <>
          <p id="selected">Selected goal: {selected}</p>
          <okr-check-in
            key={selected}
            goalId={selected}
            onokr-check-in-submitted={(event) => setSaved(event.detail.goal)}
          />
        </>
      )}
      {/* Data the app already has goes in as a property: the card makes no request. */}
      {saved && <okr-goal-card id="saved" goal={saved} variant="compact" />}
    </okr-provider>
  );
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <MyGoals />
  </StrictMode>,
);
