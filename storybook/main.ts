import { defineMain } from '@storybook/web-components-vite/node';
import { customElementsManifestPlugin } from './custom-elements-manifest.mjs';
import { storyDirectories, storyFileSuffix } from './story-files.mjs';

export default defineMain({
  framework: '@storybook/web-components-vite',
  stories: [
    './docs/*.mdx',
    ...storyDirectories.map((directory) => `${directory}/**/*${storyFileSuffix}`),
  ],
  addons: ['@storybook/addon-a11y', '@storybook/addon-docs'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Partners read this Storybook to learn the widgets, not Storybook itself.
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  viteFinal(config) {
    return { ...config, plugins: [...(config.plugins ?? []), customElementsManifestPlugin()] };
  },
});
