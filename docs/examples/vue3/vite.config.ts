import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  // `base: './'` so the build works under any path of the host's site.
  base: './',
  plugins: [
    vue({
      // The okr-* tags are custom elements, not Vue components to resolve.
      template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('okr-') } },
    }),
  ],
});
