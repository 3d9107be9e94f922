import { css } from 'lit';

export const checkInStyles = css`
  :host {
    display: block;
  }
  form,
  .state {
    display: grid;
    gap: calc(var(--_okr-space) * 1.5);
    padding: var(--okr-check-in-padding, calc(var(--_okr-space) * 2));
    background: var(--_okr-surface);
    border: 1px solid var(--_okr-border);
    border-radius: var(--_okr-radius);
  }
  .kr-title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .field.inline {
    display: flex;
    align-items: center;
    gap: var(--_okr-space);
  }
  label {
    font-weight: 600;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_okr-text);
    background: var(--_okr-surface);
    border: 1px solid var(--_okr-border);
    border-radius: calc(var(--_okr-radius) / 2);
    padding: 0.375rem 0.5rem;
  }
  input[type='checkbox'] {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    accent-color: var(--_okr-accent);
  }
  textarea {
    min-block-size: 4.5rem;
    resize: vertical;
  }
  [aria-invalid='true'] {
    border-color: var(--_okr-danger);
  }
  .field-error {
    margin: 0;
    color: var(--_okr-danger);
  }
  .hint {
    margin: 0;
    color: var(--_okr-text-muted);
    font-size: 0.75rem;
  }
  .submit {
    justify-self: start;
    padding: 0.4rem 1rem;
    border: 1px solid transparent;
    border-radius: calc(var(--_okr-radius) / 2);
    background: var(--okr-check-in-submit-background, var(--_okr-accent));
    color: var(--okr-check-in-submit-color, var(--_okr-on-accent));
    font-weight: 600;
    cursor: pointer;
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
  .message {
    margin: 0;
    min-block-size: 1.2em;
  }
  .message[data-tone='error'] {
    color: var(--_okr-danger);
  }
  .skeleton.line {
    inline-size: 60%;
  }
  .skeleton.field {
    block-size: 2rem;
  }
  @media (forced-colors: active) {
    .submit {
      border-color: ButtonText;
    }
  }
`;
