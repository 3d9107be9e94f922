import { OkrClient } from '../client/client.js';
import { setGlobalSettings, type OkrConfig, type OkrSettings } from './settings.js';

/*
 * Kept apart from settings.ts so that elements without data (progress bar, badge) do not
 * pull the client into their bundle.
 */

export function settingsFromConfig(config: Partial<OkrConfig>): OkrSettings {
  const client =
    config.baseUrl !== undefined && config.tokenProvider
      ? new OkrClient({
          baseUrl: config.baseUrl,
          tokenProvider: config.tokenProvider,
          fetch: config.fetch,
        })
      : null;
  const { locale, theme, wording, live } = config;
  return { client, locale, theme, wording, live };
}

/**
 * Configures every widget on the page that is not inside an `<okr-provider>`. Widgets already
 * on the page pick the change up (and load their data) at once. Returns the shared client.
 */
export function configure(config: OkrConfig): OkrClient {
  const settings = settingsFromConfig(config);
  setGlobalSettings(settings);
  return settings.client!;
}
