/**
 * The white-label partner's brand, as its demo page (bff/src/demo-hosts/partner/partner.css)
 * sets it: a dark theme with its own tokens, and only colors for two statuses, so the toolbar's
 * "Partner" theme shows what a brand that sets only colors looks like. The story test checks
 * that these are the page's tokens.
 */
export const partnerBrand: Record<string, string> = {
  '--okr-font-family': "'Segoe UI', system-ui, sans-serif",
  '--okr-color-accent': '#ffb347',
  '--okr-color-on-accent': '#1a1205',
  '--okr-color-focus': '#ffd08a',
  '--okr-color-surface': '#171d29',
  '--okr-color-border': '#2b3446',
  '--okr-radius': '14px',
  '--okr-color-on-track': '#46c28e',
  '--okr-color-accomplished': '#7aa7ff',
};

/** The partner page's own canvas behind the widgets. */
export const partnerCanvas = { background: '#10141c', color: '#e9edf5' };
