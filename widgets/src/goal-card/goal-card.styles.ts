import { css } from 'lit';

export const goalCardStyles = css`
  :host {
    display: block;
  }
  .card {
    display: grid;
    gap: var(--_okr-space);
    padding: var(--okr-goal-card-padding, calc(var(--_okr-space) * 2));
    background: var(--_okr-surface);
    border: 1px solid var(--_okr-border);
    border-radius: var(--_okr-radius);
    overflow-wrap: anywhere;
  }
  .header {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--_okr-space);
  }
  .heading {
    margin: 0;
    font-size: var(--okr-goal-card-title-size, 1rem);
    font-weight: 600;
    line-height: 1.35;
  }
  .title {
    all: unset;
    cursor: pointer;
    border-radius: 2px;
    unicode-bidi: plaintext;
    /* Text keeps its own direction but lines up with the page (theme.styles.ts). */
    text-align: var(--_okr-align-start);
  }
  .title:hover {
    text-decoration: underline;
  }
  .title:focus-visible {
    outline: 2px solid var(--_okr-focus);
    outline-offset: 2px;
  }
  .meta,
  .updated {
    margin: 0;
    color: var(--_okr-text-muted);
    display: flex;
    flex-wrap: wrap;
    gap: 0 calc(var(--_okr-space) * 1.5);
  }
  .description {
    margin: 0;
    unicode-bidi: plaintext;
    /* Text keeps its own direction but lines up with the page (theme.styles.ts). */
    text-align: var(--_okr-align-start);
  }
  details summary {
    cursor: pointer;
    color: var(--_okr-accent);
    inline-size: fit-content;
  }
  .why-list,
  .key-results {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_okr-space);
  }
  .why-list {
    margin-block-start: var(--_okr-space);
    color: var(--_okr-text-muted);
  }
  .subheading {
    margin: 0;
    font-size: 0.8125rem;
    font-weight: 600;
    color: var(--_okr-text-muted);
  }
  .key-result {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.25rem var(--_okr-space);
    align-items: center;
  }
  .key-result okr-progress-bar {
    grid-column: 1 / -1;
  }
  .kr-title {
    unicode-bidi: plaintext;
    /* Text keeps its own direction but lines up with the page (theme.styles.ts). */
    text-align: var(--_okr-align-start);
  }
  .kr-value {
    color: var(--_okr-text-muted);
    font-variant-numeric: tabular-nums;
    text-align: end;
  }
  .skeleton.title-line {
    inline-size: 70%;
    block-size: 1.2em;
  }
  .skeleton.line {
    inline-size: 45%;
  }
  .skeleton.bar {
    block-size: 0.5rem;
  }
  @media (forced-colors: active) {
    .card {
      border-color: CanvasText;
    }
  }
`;
