import type { Meta, StoryObj } from '@storybook/web-components';
import { html } from 'lit';
import { goal, statuses } from '../../widgets/src/fixtures/goals.js';
import { brandWording } from '../../widgets/src/fixtures/story-providers.js';
import '../../widgets/src/goal-card/goal-card.js';
import '../../widgets/src/provider/provider.js';
import '../../widgets/src/status-badge/status-badge.js';

interface Args {
  theme: 'light' | 'dark' | 'auto';
  locale: string;
  renamed: boolean;
}

/**
 * `<okr-provider>` has no UI of its own: these stories show what it does to the widgets inside
 * it, and give it a docs page built from the manifest like every other element.
 */
const meta: Meta<Args> = {
  title: 'Widgets/Provider',
  component: 'okr-provider',
  args: { theme: 'dark', locale: 'de', renamed: false },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    locale: { control: 'inline-radio', options: ['en', 'de', 'en-GB', 'fr'] },
    renamed: { name: 'partner wording', control: 'boolean' },
  },
  render: (args) =>
    html`<okr-provider
      theme=${args.theme}
      locale=${args.locale}
      .wording=${args.renamed ? brandWording : undefined}
    >
      <okr-goal-card variant="compact" .goal=${goal()}></okr-goal-card>
      <p>
        ${statuses.map((status) => html`<okr-status-badge status=${status}></okr-status-badge> `)}
      </p>
    </okr-provider>`,
};
export default meta;

type Story = StoryObj<Args>;

/** Theme and locale given once, for every widget inside. */
export const ThemeAndLocale: Story = {};

/** A partner's own words ("Goal", "Going well") for every widget inside. */
export const PartnerWording: Story = { args: { theme: 'light', locale: 'en', renamed: true } };
