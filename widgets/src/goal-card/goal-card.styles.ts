import { css } from 'lit';
import { ownDirection } from '../theme/theme.styles.js';

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
  .description {
    margin: 0;
    ${ownDirection}
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
    align-items: center;
  }
  .kr-value {
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
