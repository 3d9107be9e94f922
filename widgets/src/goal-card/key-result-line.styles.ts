import { css } from 'lit';
import { ownDirection } from '../theme/theme.styles.js';

/** The key-result line (key-result-line.ts) inside its host's `.key-result` grid. */
export const keyResultLineStyles = css`
  .key-result {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0.25rem var(--_okr-space);
  }
  .key-result okr-progress-bar {
    grid-column: 1 / -1;
  }
  .kr-title {
    ${ownDirection}
  }
  .kr-value {
    color: var(--_okr-text-muted);
    font-variant-numeric: tabular-nums;
  }
`;
