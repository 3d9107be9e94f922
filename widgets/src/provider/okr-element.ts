import { ContextRoot, consume } from '@lit/context';
import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  builtInWording,
  mergeWording,
  type Wording,
  type WordingOverrides,
} from '../i18n/messages.js';
import {
  getGlobalSettings,
  okrSettingsContext,
  onGlobalSettingsChange,
  type OkrSettings,
  type OkrTheme,
} from './settings.js';

/*
 * Scripts may load in any order, so an <okr-provider> can be defined after the widgets inside
 * it asked for their settings. A context root remembers unanswered requests and replays them
 * when a provider appears; one per page, even with several copies of the library.
 */
const contextRootKey = Symbol.for('okr-embed.context-root');
const pageGlobals = globalThis as Record<symbol, unknown>;
if (!pageGlobals[contextRootKey] && typeof document !== 'undefined') {
  new ContextRoot().attach(document.documentElement);
  pageGlobals[contextRootKey] = true;
}

/** What an element resolved for drawing, handed on to the elements it renders inside itself. */
export interface Presentation {
  locale: string;
  theme: OkrTheme;
  words: Wording;
  /** The element's own overrides: an inner element finds the provider's by itself. */
  wording?: WordingOverrides;
}

/**
 * The base of every widget: resolves the client, locale, theme and wording from (in order) the
 * element itself, the nearest `<okr-provider>`, and `configure()`.
 */
export class OkrElement extends LitElement {
  /** `light`, `dark` or `auto` (follows the OS); defaults to the provider's or `configure()`'s. */
  @property({ reflect: true }) theme?: OkrTheme;

  /** BCP 47 locale; defaults to the provider's, then the page's `lang`, then the browser's. */
  @property({ reflect: true }) locale?: string;

  /** Words to replace for this element only. */
  @property({ attribute: false }) wording?: WordingOverrides;

  @consume({ context: okrSettingsContext, subscribe: true })
  @state()
  protected provided?: OkrSettings;

  @state() private globalVersion = 0;
  private stopListening?: () => void;

  override connectedCallback(): void {
    this.adoptEarlyAttributes();
    super.connectedCallback();
    this.stopListening = onGlobalSettingsChange(() => {
      this.globalVersion += 1;
    });
  }

  /**
   * Elements loaded on demand (provider/lazy-elements.ts) may be created before their class is
   * defined. React 19 then sets `goalId` as an attribute, which HTML lower-cases to `goalid`,
   * not the `goal-id` Lit reads: the first value would be lost. Taken over here, once; later
   * renders find the property and set it.
   */
  private adoptEarlyAttributes(): void {
    const declared = (this.constructor as typeof LitElement).elementProperties;
    for (const [name, options] of declared) {
      if (typeof name !== 'string' || typeof options.attribute !== 'string') continue;
      const early = name.toLowerCase();
      if (early === options.attribute || !this.hasAttribute(early)) continue;
      if (this.hasAttribute(options.attribute)) continue;
      this.setAttribute(options.attribute, this.getAttribute(early) ?? '');
      this.removeAttribute(early);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
  }

  protected get settings(): OkrSettings {
    return this.provided ?? getGlobalSettings();
  }

  protected get resolvedLocale(): string {
    return (
      this.locale ??
      this.settings.locale ??
      this.closest('[lang]')?.getAttribute('lang') ??
      navigator.language ??
      'en'
    );
  }

  protected get resolvedTheme(): OkrTheme {
    return this.theme ?? this.settings.theme ?? 'light';
  }

  protected get words(): Wording {
    const locale = this.resolvedLocale;
    return mergeWording(builtInWording(locale), this.settings.wording, this.wording);
  }

  protected get presentation(): Presentation {
    return {
      locale: this.resolvedLocale,
      theme: this.resolvedTheme,
      words: this.words,
      wording: this.wording,
    };
  }

  protected get isRtl(): boolean {
    return getComputedStyle(this).direction === 'rtl';
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.dataset['okrTheme'] = this.resolvedTheme;
  }
}
