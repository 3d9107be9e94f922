/** The element manifest (custom-elements.json) from the sources only: scanning dist/ is slow. */
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.stories.ts', 'src/fixtures/**'],
  outdir: '.',
  litelement: true,
};
