import { css } from 'lit';
import { secondaryButton } from '../theme/states.styles.js';

export const goalListStyles = css`
  :host {
    display: block;
  }
  .list-root {
    display: grid;
    gap: var(--_okr-space);
    padding: var(--okr-goal-list-padding, 0);
    background: var(--_okr-surface);
    border-radius: var(--_okr-radius);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0;
  }
  .item {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0.25rem var(--_okr-space);
    align-items: center;
    padding: var(--_okr-space) 0;
    border-block-end: 1px solid var(--_okr-border);
  }
  .item:last-child {
    border-block-end: none;
  }
  .title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .meta {
    grid-column: 1 / -1;
  }
  okr-progress-bar {
    grid-column: 1 / -1;
  }
  .more {
    ${secondaryButton}
  }
  .skeleton.row {
    block-size: 2.5rem;
  }
`;
