import { configure } from '@okr-embed/widgets';
import { fetchOkrToken, okrBaseUrl } from './okr-token';

configure({ baseUrl: okrBaseUrl, tokenProvider: fetchOkrToken });

const selected = document.querySelector<HTMLParagraphElement>('#selected')!;
const checkIn = document.querySelector('okr-check-in')!;
const saved = document.querySelector('okr-goal-card')!;

// Events bubble and are composed: listening on the document hears every widget.
document.addEventListener('okr-goal-select', (event) => {
  selected.textContent = `Selected goal: ${event.detail.goalId}`;
  selected.hidden = false;
  checkIn.goalId = event.detail.goalId;
  checkIn.hidden = false;
});

checkIn.addEventListener('okr-check-in-submitted', (event) => {
  // Data the page already has goes in as a property: the card makes no request.
  saved.goal = event.detail.goal;
  saved.hidden = false;
});
