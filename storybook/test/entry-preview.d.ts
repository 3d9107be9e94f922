/** `@storybook/web-components` ships no types for the renderer entry the story test composes with. */
declare module '@storybook/web-components/entry-preview' {
  import type { WebComponentsRenderer } from '@storybook/web-components';
  import type { ProjectAnnotations } from 'storybook/internal/types';

  type Annotations = ProjectAnnotations<WebComponentsRenderer>;
  export const parameters: Annotations['parameters'];
  export const render: Annotations['render'];
  export const renderToCanvas: Annotations['renderToCanvas'];
}
