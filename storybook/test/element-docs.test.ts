/**
 * Every element in the manifest has a stories file whose meta names it as `component`. That is
 * what gives an element its docs page (autodocs builds it from the manifest entry of the meta's
 * `component`), so an element without one would be missing from Storybook altogether.
 */
import { expect } from '@open-wc/testing';
import manifest from 'okr-custom-elements-manifest';

declare global {
  interface Window {
    /** Browser paths of every stories file; set by the test runner's HTML. */
    okrStoriesFiles?: string[];
  }
}

const storiesFiles = window.okrStoriesFiles ?? [];
const documented = new Set<unknown>();
for (const file of storiesFiles) {
  const storiesModule = (await import(file)) as { default?: { component?: unknown } };
  documented.add(storiesModule.default?.component);
}

const tagNames = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .flatMap((declaration) => (declaration.tagName ? [declaration.tagName] : []));

describe('element docs pages', () => {
  it('the manifest lists elements', () => {
    expect(tagNames).not.to.be.empty;
  });

  for (const tagName of tagNames) {
    it(`<${tagName}> is the component of a stories file`, () => {
      expect(documented.has(tagName), `no stories meta has component: '${tagName}'`).to.equal(true);
    });
  }
});
