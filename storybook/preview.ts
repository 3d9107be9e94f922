import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import customElementsManifest, { type Manifest } from 'okr-custom-elements-manifest';
import '../widgets/src/provider/provider.js';
import { partnerBrand, partnerCanvas } from './partner-brand.js';

/**
 * The manifest as the docs tables should read it. Storybook keys every row by its bare name, so
 * the progress bar's part `value` would replace its `value` property (row and control); parts
 * are therefore named the way a page's style sheet writes them. Storybook also lists private
 * and static members, which are no API of the element.
 */
function publicApi(manifest: Manifest): Manifest {
  return {
    ...manifest,
    modules: manifest.modules.map((module) => ({
      ...module,
      declarations: module.declarations?.map((declaration) => ({
        ...declaration,
        members: declaration.members?.filter(
          (member) => !member.static && (member.privacy ?? 'public') === 'public',
        ),
        cssParts: declaration.cssParts?.map((part) => ({ ...part, name: `::part(${part.name})` })),
      })),
    })),
  };
}

setCustomElementsManifest(publicApi(customElementsManifest));

/**
 * Puts every story where a host page would: inside an `<okr-provider>` carrying the toolbar's
 * theme and locale, in a block with the toolbar's direction and language. The block paints the
 * page background of the chosen color scheme, because the widgets draw their own surfaces only,
 * and light text on a light canvas would be neither readable nor what a dark host page shows.
 * Stories choose other settings with `globals: {theme: 'dark', locale: 'de', direction: 'rtl'}`;
 * `theme: 'partner'` is the white-label demo's brand (partner-brand.ts) on the dark palette.
 */
const withWidgetSettings: Decorator = (story, { globals, viewMode }) => {
  // "Partner" is a brand on the dark palette, set as a host sets one: tokens on an ancestor.
  const partner = globals['theme'] === 'partner';
  const theme = globals['theme'] === 'dark' || partner ? 'dark' : 'light';
  const page = styleMap({
    ...(partner ? partnerBrand : {}),
    display: 'block',
    padding: '1rem',
    colorScheme: theme,
    background: partner ? partnerCanvas.background : 'Canvas',
    color: partner ? partnerCanvas.color : 'CanvasText',
    // A story fills the canvas; in the docs page it is one block among others.
    minHeight: viewMode === 'story' ? '100vh' : null,
    boxSizing: 'border-box',
  });
  return html`<div dir=${globals['direction']} lang=${globals['locale']} style=${page}>
    <okr-provider theme=${theme} locale=${globals['locale']}>${story()}</okr-provider>
  </div>`;
};

const preview: Preview = {
  decorators: [withWidgetSettings],
  globalTypes: {
    theme: {
      description: 'Color theme of the widgets',
      toolbar: {
        title: 'Theme',
        icon: 'paintbrush',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
          { value: 'partner', title: 'Partner brand', icon: 'lightning' },
        ],
        dynamicTitle: true,
      },
    },
    locale: {
      description: 'Language of words, numbers and dates',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English' },
          { value: 'de', title: 'Deutsch' },
        ],
        dynamicTitle: true,
      },
    },
    direction: {
      description: 'Writing direction of the host page',
      toolbar: {
        title: 'Direction',
        icon: 'transfer',
        items: [
          { value: 'ltr', title: 'Left to right' },
          { value: 'rtl', title: 'Right to left' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light', locale: 'en', direction: 'ltr' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
    options: { storySort: { order: ['Docs', ['Embedding', 'Theming'], 'Widgets'] } },
  },
  // Every element gets a docs page built from its manifest entry and its stories.
  tags: ['autodocs'],
};

export default preview;
