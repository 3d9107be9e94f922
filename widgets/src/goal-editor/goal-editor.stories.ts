import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import type { Goal, KeyResultKind } from '@okr-embed/contract';
import { apiError, json, pending, type Route } from '../fixtures/fake-fetch.js';
import { goal, keyResultsByKind } from '../fixtures/goals.js';
import { withFakeBff } from '../fixtures/story-providers.js';
import { editorRoutes, readOnlyMe } from './editor-fixtures.js';
import './goal-editor.js';
import type { OkrGoalEditor } from './goal-editor.js';

interface Args {
  goalId?: string;
}

const stored = goal({ childCount: 1 });

/** The editor against a fake BFF: `routes` answer its writes. */
function editor(goalId: string | undefined, routes: Record<string, Route> = {}, me = {}) {
  return withFakeBff(
    editorRoutes(routes, { goal: stored, ...me }),
    goalId
      ? html`<okr-goal-editor goal-id=${goalId}></okr-goal-editor>`
      : html`<okr-goal-editor></okr-goal-editor>`,
  );
}

/** Waits for the form, types into fields and saves, as a user would in the canvas. */
async function typeAndSave(canvas: HTMLElement, values: Record<string, string>) {
  const el = canvas.querySelector<OkrGoalEditor>('okr-goal-editor')!;
  while (!el.shadowRoot?.querySelector('form')) await new Promise((r) => setTimeout(r, 20));
  for (const [id, value] of Object.entries(values)) {
    const input = el.shadowRoot.querySelector<HTMLInputElement>(`#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }
  await el.save();
}

const meta: Meta<Args> = {
  title: 'Widgets/Goal editor',
  component: 'okr-goal-editor',
  render: (args) => editor(args.goalId),
};
export default meta;

type Story = StoryObj<Args>;

/** No `goal-id`: a new objective, owned by the user, in the current timeframe. */
export const Create: Story = {};

/** With `goal-id`: the goal and its key results, loaded into the form. */
export const Edit: Story = { args: { goalId: 'g-1' } };

/** The BFF refused a field; the message sits at the field and the field has the focus. */
export const ValidationErrors: Story = {
  render: () =>
    editor(undefined, {
      'POST /goals': () =>
        json(
          {
            error: {
              code: 'validation_failed',
              message: 'The request body is invalid',
              details: [{ field: 'body.title', message: 'A goal with this title exists' }],
              requestId: 'story',
            },
          },
          400,
        ),
    }),
  play: ({ canvasElement }) => typeAndSave(canvasElement, { title: 'Grow revenue' }),
};

/** Someone saved first: what they changed, and the two ways on. */
export const Conflict: Story = {
  render: () => {
    let reads = 0;
    const theirs: Goal = goal({ title: 'Be the OKR tool mid-size companies pick', version: 8 });
    return editor('g-1', {
      'GET /goals/g-1': () => json(reads++ === 0 ? stored : theirs),
      'PATCH /goals/g-1': () => apiError(409, 'version_conflict', 'The goal changed'),
    });
  },
  play: ({ canvasElement }) => typeAndSave(canvasElement, { title: 'My better title' }),
};

/** Without okr:write the editor says so instead of a form that would fail. */
export const ReadOnly: Story = { render: () => editor('g-1', {}, { me: readOnlyMe }) };

/** The save is on its way: the button says so and the form is busy. */
export const Saving: Story = {
  render: () => editor(undefined, { 'POST /goals': pending }),
  play: ({ canvasElement }) => void typeAndSave(canvasElement, { title: 'Grow revenue' }),
};

function ofKind(kind: KeyResultKind): Story {
  return {
    render: () =>
      withFakeBff(
        editorRoutes({}, { goal: goal({ keyResults: [keyResultsByKind[kind]] }) }),
        html`<okr-goal-editor goal-id="g-1"></okr-goal-editor>`,
      ),
  };
}

export const KindIncrease = ofKind('increase');
export const KindDecrease = ofKind('decrease');
export const KindStayAbove = ofKind('stay_above');
export const KindStayBelow = ofKind('stay_below');
export const KindBoolean = ofKind('boolean');
export const KindInitiative = ofKind('initiative');

export const German: Story = { args: { goalId: 'g-1' }, globals: { locale: 'de' } };

export const Dark: Story = { args: { goalId: 'g-1' }, globals: { theme: 'dark' } };
