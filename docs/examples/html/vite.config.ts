import { defineConfig } from 'vite';

// `base: './'` so the build works under any path of the host's site.
export default defineConfig({ base: './' });
