import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Change, LiveEventType } from '@okr-embed/contract';
import { listenOnPage, type OkrEventMap } from '../events/events.js';
import type { OkrSettings } from '../provider/settings.js';
import type { OkrClient } from './client.js';

export type LivePatches = typeof import('./live-patches.js');

/**
 * Keeps a data widget up to date: from the page's event stream while live updates are on,
 * and from every check-in made on this page in any case (the answer carries the goal, its key
 * result and each ancestor whose progress moved), so the page agrees even with the stream off
 * or down. The widget says how to patch what it shows and how to reload it. The patching code
 * loads with the first change, which keeps it out of the first download.
 */
export class LiveController implements ReactiveController {
  private client: OkrClient | null = null;
  private stop?: () => void;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly patch: (change: Change, patches: LivePatches, type?: LiveEventType) => void,
    private readonly reload: () => void,
  ) {
    host.addController(this);
    listenOnPage(host, 'okr-check-in-submitted', ({ detail }) => this.apply(detail));
  }

  /** Call from `willUpdate`; `fetching` is false while the widget shows data it was given. */
  sync(settings: OkrSettings, fetching: boolean): void {
    const client = fetching && settings.live !== false ? settings.client : null;
    if (client !== this.client) {
      this.client = client;
      this.listen();
    }
  }

  hostConnected(): void {
    this.listen();
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** Changes keep their order: every call waits for the same module, then runs in turn. */
  private readonly apply = (
    change: Change | OkrEventMap['okr-check-in-submitted']['detail'],
    type?: LiveEventType,
  ): void => {
    void import('./live-patches.js').then((patches) =>
      this.patch(patches.asChange(change), patches, type),
    );
  };

  private listen(): void {
    this.stop?.();
    this.stop =
      this.client && this.host.isConnected
        ? this.client.listen({ change: this.apply, reset: this.reload })
        : undefined;
  }
}
