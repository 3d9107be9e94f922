import { css } from 'lit';
import { secondaryButton } from '../theme/states.styles.js';

export const goalEditorStyles = css`
  :host {
    --_okr-form-padding: var(--okr-goal-editor-padding, calc(var(--_okr-space) * 2));
  }
  h2 {
    margin: 0;
    font-size: 1.1em;
  }
  p {
    margin: 0;
  }
  .columns {
    display: grid;
    gap: calc(var(--_okr-space) * 1.5);
    grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
  }
  .field {
    align-content: start;
  }
  legend,
  .panel-title {
    font-weight: 600;
  }
  input,
  select,
  textarea {
    min-inline-size: 0;
  }
  textarea {
    min-block-size: 4rem;
  }
  fieldset {
    display: grid;
    gap: var(--_okr-space);
    margin: 0;
    padding: var(--_okr-space) calc(var(--_okr-space) * 1.5) calc(var(--_okr-space) * 1.5);
    border: 1px solid var(--_okr-border);
    border-radius: calc(var(--_okr-radius) / 2);
    min-inline-size: 0;
  }
  .numbers {
    display: grid;
    gap: var(--_okr-space);
    grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr));
  }
  .kind-hint {
    grid-column: 1 / -1;
  }
  .row-actions,
  .actions,
  .message-row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_okr-space);
    align-items: center;
  }
  .spacer {
    flex: 1;
  }
  .secondary {
    ${secondaryButton}
    color: inherit;
    font: inherit;
  }
  .submit {
    font: inherit;
    font-weight: 600;
  }
  .submit.danger {
    background: var(--_okr-danger);
  }
  .secondary.danger {
    color: var(--_okr-danger);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .picker {
    position: relative;
    display: grid;
  }
  [role='listbox'] {
    position: absolute;
    inset-block-start: 100%;
    inset-inline: 0;
    z-index: 1;
    margin: 2px 0 0;
    padding: 0.25rem 0;
    list-style: none;
    max-block-size: 14rem;
    overflow-y: auto;
    background: var(--_okr-surface);
    border: 1px solid var(--_okr-border);
    border-radius: calc(var(--_okr-radius) / 2);
  }
  [role='listbox'] > li {
    padding: 0.3rem 0.5rem;
    cursor: pointer;
  }
  [role='option'][aria-selected='true'] {
    background: var(--_okr-accent);
    color: var(--_okr-on-accent);
  }
  [role='option'][aria-selected='true'] .hint {
    color: inherit;
  }
  [hidden] {
    display: none;
  }
  .panel {
    display: grid;
    gap: var(--_okr-space);
    padding: var(--_okr-space) calc(var(--_okr-space) * 1.5);
    border: 1px solid var(--_okr-danger);
    border-radius: calc(var(--_okr-radius) / 2);
  }
  .panel ul {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
  .read-only-title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .skeleton.line {
    inline-size: 50%;
  }
  @media (forced-colors: active) {
    .panel,
    [role='listbox'] {
      border-color: ButtonText;
    }
    [role='option'][aria-selected='true'] {
      background: Highlight;
      color: HighlightText;
      forced-color-adjust: none;
    }
  }
`;
