import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { emit } from '../events/events.js';
import { isAbortError, toApiError, type OkrApiError } from './errors.js';

export type ResourceState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'loaded'; value: T }
  | { status: 'error'; error: OkrApiError };

type Task<T> = (signal: AbortSignal) => Promise<T>;

function sameDependencies(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  return a !== undefined && a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * Loads one resource for a widget: runs again when its dependencies change, aborts the request
 * when the widget leaves the page (and loads again if it comes back), reports failures as
 * `okr-error` and keeps the state the widget renders.
 */
export class ResourceController<T> implements ReactiveController {
  state: ResourceState<T> = { status: 'idle' };
  private dependencies?: readonly unknown[];
  private task?: Task<T>;
  private abortController?: AbortController;
  private interrupted = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** Starts `task` when `dependencies` differ from the last call's; call it from `willUpdate`. */
  sync(dependencies: readonly unknown[], task: Task<T> | undefined): void {
    if (sameDependencies(this.dependencies, dependencies)) return;
    this.dependencies = dependencies;
    this.task = task;
    if (task) this.run();
    else {
      this.abortController?.abort();
      this.state = { status: 'idle' };
    }
  }

  /** Loads again with the last task (the error state's retry button). */
  retry(): void {
    if (this.task) this.run();
  }

  /**
   * Loads again behind the value shown (the live stream asked for a reload): no skeleton, and
   * a failure keeps the last good value instead of showing an error.
   */
  refresh(): void {
    if (this.task) this.run(this.state.status === 'loaded');
  }

  /** Replaces the loaded value, e.g. after an optimistic update. */
  set(value: T): void {
    this.state = { status: 'loaded', value };
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.interrupted) {
      this.interrupted = false;
      this.retry();
    }
  }

  hostDisconnected(): void {
    if (this.state.status === 'loading') {
      this.interrupted = true;
      this.abortController?.abort();
    }
  }

  private async run(quiet = false): Promise<void> {
    const task = this.task!;
    this.abortController?.abort();
    const abortController = new AbortController();
    this.abortController = abortController;
    if (!quiet) {
      this.state = { status: 'loading' };
      this.host.requestUpdate();
    }
    try {
      const value = await task(abortController.signal);
      if (abortController.signal.aborted) return;
      this.state = { status: 'loaded', value };
    } catch (error) {
      if (abortController.signal.aborted || isAbortError(error) || quiet) return;
      const apiError = toApiError(error);
      this.state = { status: 'error', error: apiError };
      emit(this.host, 'okr-error', { error: apiError });
    }
    this.host.requestUpdate();
  }
}
