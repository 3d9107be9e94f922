import { css } from 'lit';

/**
 * What the widgets that write (the check-in form, the goal editor) share: the panel, labelled
 * fields, inputs, their errors and hints, the save button and the result line. Each element
 * sets `--_okr-form-padding` from its own public padding token.
 */
export const formStyles = css`
  :host {
    display: block;
  }
  form,
  .state {
    display: grid;
    gap: calc(var(--_okr-space) * 1.5);
    padding: var(--_okr-form-padding, calc(var(--_okr-space) * 2));
    background: var(--_okr-surface);
    border: 1px solid var(--_okr-border);
    border-radius: var(--_okr-radius);
  }
  .field {
    display: grid;
    gap: 0.25rem;
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
  textarea {
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
    padding: 0.4rem 1rem;
    border: 1px solid transparent;
    border-radius: calc(var(--_okr-radius) / 2);
    background: var(--_okr-accent);
    color: var(--_okr-on-accent);
    font-weight: 600;
    cursor: pointer;
  }
  .message {
    margin: 0;
    min-block-size: 1.2em;
  }
  .message[data-tone='error'] {
    color: var(--_okr-danger);
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
