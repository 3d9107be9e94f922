import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { KeyResult } from '@okr-embed/contract';
import { apiError, json } from '../fixtures/fake-fetch.js';
import { checkIn, goal, keyResultsByKind, longTitle, rtlTitle } from '../fixtures/goals.js';
import {
  branded,
  brandWording,
  failingBff,
  loadingBff,
  type ThemeAndLocaleArgs,
  themeAndLocaleArgTypes,
  withFakeBff,
} from '../fixtures/story-providers.js';
import './check-in.js';

interface Args extends ThemeAndLocaleArgs {
  keyResult: KeyResult;
}

const meta: Meta<Args> = {
  title: 'Widgets/Check-in',
  component: 'okr-check-in',
  args: { keyResult: keyResultsByKind.increase },
  argTypes: {
    keyResult: {
      control: 'select',
      options: Object.keys(keyResultsByKind),
      mapping: keyResultsByKind,
    },
    ...themeAndLocaleArgTypes,
  },
  render: (args) =>
    html`<okr-check-in
      .keyResult=${args.keyResult}
      theme=${ifDefined(args.theme)}
      locale=${ifDefined(args.locale)}
    ></okr-check-in>`,
};
export default meta;

type Story = StoryObj<Args>;

export const Increase: Story = {};

export const Decrease: Story = { args: { keyResult: keyResultsByKind.decrease } };

export const StayAbove: Story = { args: { keyResult: keyResultsByKind.stay_above } };

export const StayBelow: Story = { args: { keyResult: keyResultsByKind.stay_below } };

export const DoneOrNot: Story = { args: { keyResult: keyResultsByKind.boolean } };

export const Initiative: Story = { args: { keyResult: keyResultsByKind.initiative } };

export const LongTitle: Story = {
  args: { keyResult: { ...keyResultsByKind.increase, title: longTitle } },
};

export const RightToLeft: Story = {
  render: () =>
    html`<div dir="rtl" lang="ar">
      <okr-check-in .keyResult=${{ ...keyResultsByKind.increase, title: rtlTitle }}></okr-check-in>
    </div>`,
};

export const German: Story = { globals: { locale: 'de' } };

export const Dark: Story = { globals: { theme: 'dark' } };

export const WhiteLabel: Story = {
  render: (args) =>
    branded(
      html`<okr-check-in
        .keyResult=${args.keyResult}
        .wording=${{ ...brandWording, save: 'Update milestone' }}
      ></okr-check-in>`,
    ),
};

/** Saving succeeds: the form announces it and fires `okr-check-in-submitted`. */
export const SavesAgainstFakeBff: Story = {
  render: () => {
    const kr = keyResultsByKind.increase;
    return withFakeBff(
      {
        '/goals/g-1': () => json(goal()),
        'POST /key-results/kr-inc/check-ins': (request) => {
          const { value } = JSON.parse(request.body ?? '{}') as { value: number };
          const keyResult = {
            ...kr,
            current: value,
            progress: Math.min(1, value / kr.target),
            version: kr.version + 1,
          };
          return json(
            { checkIn: { ...checkIn, value }, keyResult, goal: goal({ keyResults: [keyResult] }) },
            201,
          );
        },
      },
      html`<okr-check-in goal-id="g-1" key-result-id="kr-inc"></okr-check-in>`,
    );
  },
};

/** Every save answers 409: the form reloads the goal and says someone else updated it. */
export const Conflict: Story = {
  render: () =>
    withFakeBff(
      {
        '/goals/g-1': () => json(goal()),
        'POST /key-results/kr-inc/check-ins': () => apiError(409, 'conflict', 'Version conflict'),
      },
      html`<okr-check-in goal-id="g-1" key-result-id="kr-inc"></okr-check-in>`,
    ),
};

export const Loading: Story = {
  render: () => loadingBff(html`<okr-check-in goal-id="g-1"></okr-check-in>`, ['/goals/g-1']),
};

export const LoadFailed: Story = {
  render: () => failingBff(html`<okr-check-in goal-id="g-1"></okr-check-in>`, ['/goals/g-1']),
};

export const NothingToCheckIn: Story = { render: () => html`<okr-check-in></okr-check-in>` };
