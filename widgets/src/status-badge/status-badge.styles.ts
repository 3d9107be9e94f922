import { css } from 'lit';

export const statusBadgeStyles = css`
  :host {
    display: inline-block;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    padding: 0.15em 0.6em;
    border-radius: 999px;
    font-size: var(--okr-status-badge-font-size, 0.75rem);
    font-weight: 600;
    line-height: 1.4;
    white-space: nowrap;
    background: var(--okr-status-badge-background, var(--_okr-status));
    color: var(--okr-status-badge-color, var(--_okr-on-status));
  }
  @media (forced-colors: active) {
    .badge {
      border: 1px solid CanvasText;
    }
  }
`;
