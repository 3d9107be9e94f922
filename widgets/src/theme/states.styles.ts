import { css } from 'lit';

/**
 * The look of a quiet action next to content: the error state's retry button, and the goal
 * list's "show more", which should not look more urgent than a retry.
 */
export const secondaryButton = css`
  justify-self: start;
  padding: 0.25rem 0.75rem;
  border: 1px solid var(--_okr-border);
  border-radius: calc(var(--_okr-radius) / 2);
  background: transparent;
  cursor: pointer;
`;

/**
 * The loading, error and empty states that states.ts renders, for every data widget alike;
 * a widget adds only the shapes of its own skeleton lines (`.skeleton.<kind>`).
 */
export const stateStyles = css`
  .skeleton-state {
    display: grid;
    gap: var(--_okr-space);
  }
  .skeleton {
    display: block;
    background: var(--_okr-skeleton);
    border-radius: calc(var(--_okr-radius) / 2);
    min-height: 0.9em;
    animation: okr-pulse 1.5s ease-in-out infinite;
  }
  @keyframes okr-pulse {
    50% {
      opacity: 0.5;
    }
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .empty,
  .error {
    margin: 0;
    color: var(--_okr-text-muted);
  }
  .retry {
    ${secondaryButton}
  }
  @media (forced-colors: active) {
    .skeleton {
      background: GrayText;
    }
  }
`;
