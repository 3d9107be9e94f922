import type { CSSResult } from 'lit';

/** A global theme token and the value each theme falls back to when the page does not set it. */
export interface ThemeToken {
  name: string;
  light?: string;
  dark?: string;
}

type StyledElement = CustomElementConstructor & { elementStyles?: (CSSResult | CSSStyleSheet)[] };

const themeOfSelector: Record<string, keyof Omit<ThemeToken, 'name'>> = {
  ':host': 'light',
  ':host([data-okr-theme="dark"])': 'dark',
};
const tokenReference = /^var\((--okr-[\w-]+),\s*(.+)\)$/;

/**
 * The global `--okr-*` tokens as an element's own style sheets read them, with the light and dark
 * defaults. Read from the styles at run time, so the Theming page cannot drift from the widgets.
 */
export function themeTokens(tagName: string): ThemeToken[] {
  const element = customElements.get(tagName) as StyledElement | undefined;
  if (!element?.elementStyles) throw new Error(`<${tagName}> is not a defined Lit element`);
  const tokens = new Map<string, ThemeToken>();
  for (const style of element.elementStyles) {
    const sheet = style instanceof CSSStyleSheet ? style : style.styleSheet;
    for (const rule of sheet?.cssRules ?? []) {
      const theme = rule instanceof CSSStyleRule ? themeOfSelector[rule.selectorText] : undefined;
      if (!theme) continue;
      const declarations = (rule as CSSStyleRule).style;
      for (const property of declarations) {
        const match = tokenReference.exec(declarations.getPropertyValue(property).trim());
        if (!match) continue;
        const [, name, fallback] = match as unknown as [string, string, string];
        tokens.set(name, { ...(tokens.get(name) ?? { name }), [theme]: fallback });
      }
    }
  }
  return [...tokens.values()];
}
