import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import type { ProgressHistory } from '@okr-embed/contract';
import { json } from '../fixtures/fake-fetch.js';
import {
  branded,
  failingBff,
  loadingBff,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
  withFakeBff,
} from '../fixtures/story-providers.js';
import {
  afterTimeframe,
  beforeTimeframe,
  booleanHistory,
  decreaseHistory,
  goalHistory,
  inTimeframe,
  increaseHistory,
  initiativeHistory,
  manyHistory,
  noCheckInsHistory,
  oneCheckInHistory,
  stayAboveHistory,
  stayBelowHistory,
} from './history-fixtures.js';
import './progress-history.js';

interface Args extends ThemeAndLocaleArgs {
  history: ProgressHistory;
  /** Epoch milliseconds drawn as today; the fixtures' timeframe is Q1 2027. */
  now: number;
}

const meta: Meta<Args> = {
  title: 'Widgets/Progress history',
  component: 'okr-progress-history',
  args: { history: increaseHistory(), now: inTimeframe },
  argTypes: {
    now: { control: 'date' },
    ...themeAndLocaleArgTypes,
  },
  // Theme and locale come from the toolbar (storybook/preview.ts wraps every story).
  render: (args) =>
    html`<okr-progress-history .history=${args.history} .now=${args.now}></okr-progress-history>`,
};
export default meta;

type Story = StoryObj<Args>;

/** A key result in the current quarter: three check-ins, today marked. */
export const CurrentTimeframe: Story = {};

export const NoCheckIns: Story = { args: { history: noCheckInsHistory() } };

export const OneCheckIn: Story = { args: { history: oneCheckInHistory() } };

/** Four hundred check-ins: still one path. */
export const ManyCheckIns: Story = { args: { history: manyHistory(400) } };

/** Churn falling from 8 % to 4 %: the value goes down, progress goes up. */
export const DecreaseKind: Story = { args: { history: decreaseHistory() } };

export const BooleanKind: Story = { args: { history: booleanHistory() } };

export const StayAboveKind: Story = { args: { history: stayAboveHistory() } };

export const StayBelowKind: Story = { args: { history: stayBelowHistory() } };

export const InitiativeKind: Story = { args: { history: initiativeHistory() } };

export const GoalHistory: Story = { args: { history: goalHistory() } };

/** The quarter is over: no today line, the last value held to the end. */
export const PastTimeframe: Story = { args: { now: afterTimeframe } };

/** The quarter has not begun: no today line, and when it starts. */
export const FutureTimeframe: Story = {
  args: { history: noCheckInsHistory(), now: beforeTimeframe },
};

/** At the smallest width it supports. */
export const Narrow: Story = {
  render: (args) =>
    html`<style>
        .narrow {
          max-width: 320px;
        }
      </style>
      <div class="narrow">
        <okr-progress-history .history=${args.history} .now=${args.now}></okr-progress-history>
      </div>`,
};

export const WhiteLabel: Story = {
  render: (args) =>
    branded(
      html`<okr-progress-history .history=${args.history} .now=${args.now}></okr-progress-history>`,
    ),
};

export const Loading: Story = {
  render: () =>
    loadingBff(html`<okr-progress-history key-result-id="kr-1"></okr-progress-history>`, [
      '/key-results/kr-1/history',
    ]),
};

export const LoadFailed: Story = {
  render: () =>
    failingBff(html`<okr-progress-history key-result-id="kr-1"></okr-progress-history>`, [
      '/key-results/kr-1/history',
    ]),
};

/** Both ids set: the element says how to use it. */
export const BothIds: Story = {
  render: () =>
    html`<okr-progress-history key-result-id="kr-1" goal-id="g-1"></okr-progress-history>`,
};

/** Fetched by `goal-id`, as the goal card's "History" shows it. */
export const FetchedByGoalId: Story = {
  render: (args) =>
    withFakeBff(
      { '/goals/g-1/history': () => json(goalHistory()) },
      html`<okr-progress-history goal-id="g-1" .now=${args.now}></okr-progress-history>`,
    ),
};
