import { createContext } from '@lit/context';
import type { OkrClient } from '../client/client.js';
import type { WordingOverrides } from '../i18n/messages.js';

export type OkrTheme = 'light' | 'dark' | 'auto';

/** What a page tells the widgets, through `configure()` or `<okr-provider>`. */
export interface OkrConfig {
  /** Origin (plus optional prefix) of the BFF. */
  baseUrl: string;
  /** Returns a JWT for the page's user; called rarely, the token is kept in memory only. */
  tokenProvider: () => Promise<string>;
  /** BCP 47 locale for words, numbers and dates; defaults to the page's `lang`. */
  locale?: string;
  theme?: OkrTheme;
  wording?: WordingOverrides;
  /** Replaces `fetch` (tests, or hosts that route requests through their own code). */
  fetch?: typeof fetch;
  /** `false` keeps the page off the BFF's event stream; check-ins made on the page still show everywhere. */
  live?: boolean;
}

/** What every widget reads: the shared client and the presentation settings. */
export interface OkrSettings {
  client: OkrClient | null;
  locale?: string;
  theme?: OkrTheme;
  wording?: WordingOverrides;
  /** Whether data widgets follow the BFF's event stream; on unless `false`. */
  live?: boolean;
}

/** A symbol from the global registry, so copies of the library on one page still find each other. */
export const okrSettingsContext = createContext<OkrSettings>(Symbol.for('okr-embed.settings'));

/**
 * Page-wide state lives on `globalThis` under a registered symbol, so that every copy of the
 * library on the page (each published file bundles its own) sees the same `configure()`.
 */
interface PageState {
  settings: OkrSettings;
  changes: EventTarget;
}
const pageKey = Symbol.for('okr-embed.page');
const page: PageState = ((globalThis as Record<symbol, PageState | undefined>)[pageKey] ??= {
  settings: { client: null },
  changes: new EventTarget(),
});

/** Replaces the page-wide settings; `configure()` is the public way to call it. */
export function setGlobalSettings(settings: OkrSettings): void {
  page.settings = settings;
  page.changes.dispatchEvent(new Event('change'));
}

export function getGlobalSettings(): OkrSettings {
  return page.settings;
}

/** Calls `listener` after each `configure()`; returns the unsubscribe function. */
export function onGlobalSettingsChange(listener: () => void): () => void {
  page.changes.addEventListener('change', listener);
  return () => page.changes.removeEventListener('change', listener);
}
