import { css } from 'lit';
import { ownDirection } from '../theme/theme.styles.js';

/**
 * A goal's title button and its line of facts, alike on the card and in a goal list's row; and
 * the "why" panel's own lines (its lists are styled with the card's).
 */
export const goalSummaryStyles = css`
  .title {
    all: unset;
    cursor: pointer;
    border-radius: 2px;
    ${ownDirection}
  }
  .title:hover {
    text-decoration: underline;
  }
  /* all: unset took the theme's focus ring too. */
  .title:focus-visible {
    outline: 2px solid var(--_okr-focus);
    outline-offset: 2px;
  }
  .meta {
    margin: 0;
    color: var(--_okr-text-muted);
    display: flex;
    flex-wrap: wrap;
    gap: 0 calc(var(--_okr-space) * 1.5);
  }
  .why-status {
    margin: var(--_okr-space) 0 0;
  }
  .why-excluded-heading {
    margin: var(--_okr-space) 0 0;
    font-weight: 600;
  }
`;
