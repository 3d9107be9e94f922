import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Goal } from '@okr-embed/widgets';
// React 18 would set `goal={…}` as the attribute "[object Object]" and never hear `okr-…`
// events; the wrappers set properties and map events to `onGoalSelect`-style callbacks.
import { OkrCheckIn, OkrGoalCard, OkrGoalList, OkrProvider } from '@okr-embed/widgets/react';
import { fetchOkrToken, okrBaseUrl } from './okr-token';

function MyGoals() {
  const [selected, setSelected] = useState<string>();
  const [saved, setSaved] = useState<Goal>();
  return (
    <OkrProvider baseUrl={okrBaseUrl} tokenProvider={fetchOkrToken}>
      <OkrGoalList
        owner="me"
        label="My OKRs"
        onGoalSelect={(event) => setSelected(event.detail.goalId)}
      />
      {selected && (
        <>
          <p id="selected">Selected goal: {selected}</p>
          <OkrCheckIn
            key={selected}
            goalId={selected}
            onCheckInSubmitted={(event) => setSaved(event.detail.goal)}
          />
        </>
      )}
      {/* Data the app already has goes in as a property: the card makes no request. */}
      {saved && <OkrGoalCard id="saved" goal={saved} variant="compact" />}
    </OkrProvider>
  );
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <MyGoals />
  </StrictMode>,
);
