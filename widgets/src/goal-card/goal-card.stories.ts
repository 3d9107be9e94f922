import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Goal } from '@okr-embed/contract';
import { json } from '../fixtures/fake-fetch.js';
import {
  goal,
  hostileGoal,
  keyResultsByKind,
  longTitle,
  rtlTitle,
  statuses,
} from '../fixtures/goals.js';
import {
  branded,
  brandWording,
  failingBff,
  loadingBff,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
  withFakeBff,
} from '../fixtures/story-providers.js';
import './goal-card.js';

interface Args extends ThemeAndLocaleArgs {
  goal: Goal;
  variant: 'compact' | 'full';
}

const meta: Meta<Args> = {
  title: 'Widgets/Goal card',
  component: 'okr-goal-card',
  args: { goal: goal(), variant: 'full' },
  argTypes: {
    variant: { control: 'inline-radio', options: ['compact', 'full'] },
    ...themeAndLocaleArgTypes,
  },
  render: (args) =>
    html`<okr-goal-card
      .goal=${args.goal}
      variant=${args.variant}
      theme=${ifDefined(args.theme)}
      locale=${ifDefined(args.locale)}
    ></okr-goal-card>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Full: Story = {};

export const Compact: Story = { args: { variant: 'compact' } };

export const EachKeyResultKind: Story = {
  args: { goal: goal({ keyResults: Object.values(keyResultsByKind), initiativesCount: true }) },
};

export const EachStatus: Story = {
  render: () =>
    html`${statuses.map(
      (status, i) =>
        html`<okr-goal-card
          variant="compact"
          .goal=${goal({ id: `g-${status}`, title: `Status: ${status}`, status, progress: [0, 0.62, 0.4, 0.15, 1][i]! })}
        ></okr-goal-card>`,
    )}`,
};

export const AlignedGoalsSource: Story = {
  args: {
    goal: goal({
      progressSource: 'both',
      children: [
        {
          id: 'c-1',
          title: 'Team objective: win ten partners',
          level: 'team',
          status: 'on_track',
          progress: 0.6,
        },
        {
          id: 'c-2',
          title: 'Team objective: halve onboarding time',
          level: 'team',
          status: 'off_track',
          progress: 0.1,
        },
      ],
    }),
  },
};

export const NoKeyResults: Story = {
  args: { goal: goal({ keyResults: [], lastCheckIn: null, progress: 0, status: 'not_started' }) },
};

export const LongTitle: Story = { args: { goal: goal({ title: longTitle }) } };

export const RightToLeft: Story = {
  render: (args) =>
    html`<div dir="rtl" lang="ar">
      <okr-goal-card .goal=${goal({ title: rtlTitle })} variant=${args.variant}></okr-goal-card>
    </div>`,
};

export const German: Story = { globals: { locale: 'de' } };

export const Dark: Story = { globals: { theme: 'dark' } };

export const WhiteLabel: Story = {
  render: (args) =>
    branded(html`<okr-goal-card .goal=${args.goal} .wording=${brandWording}></okr-goal-card>`),
};

export const HostileText: Story = { args: { goal: hostileGoal } };

export const Loading: Story = {
  render: () => loadingBff(html`<okr-goal-card goal-id="g-1"></okr-goal-card>`, ['/goals/g-1']),
};

export const LoadFailed: Story = {
  render: () => failingBff(html`<okr-goal-card goal-id="g-1"></okr-goal-card>`, ['/goals/g-1']),
};

export const FetchedById: Story = {
  render: () =>
    withFakeBff(
      { '/goals/g-1': () => json(goal()) },
      html`<okr-goal-card goal-id="g-1"></okr-goal-card>`,
    ),
};
