import { css } from 'lit';

export const checkInStyles = css`
  :host {
    --_okr-form-padding: var(--okr-check-in-padding, calc(var(--_okr-space) * 2));
  }
  .kr-title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .field.inline {
    display: flex;
    align-items: center;
    gap: var(--_okr-space);
  }
  input[type='checkbox'] {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    accent-color: var(--_okr-accent);
  }
  textarea {
    min-block-size: 4.5rem;
  }
  .submit {
    justify-self: start;
    background: var(--okr-check-in-submit-background, var(--_okr-accent));
    color: var(--okr-check-in-submit-color, var(--_okr-on-accent));
  }
  /* The shared retry button (states.styles.ts), as large as the save button it stands in for. */
  .retry {
    padding: 0.4rem 1rem;
    font-weight: 600;
  }
  .submit[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .skeleton.line {
    inline-size: 60%;
  }
`;
