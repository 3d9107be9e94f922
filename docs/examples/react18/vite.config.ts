import { defineConfig } from 'vite';

export default defineConfig({
  // `base: './'` so the build works under any path of the host's site.
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  // @okr-embed/widgets/react imports React too: one copy, the app's own React 18.
  resolve: { dedupe: ['react', 'react-dom'] },
});
