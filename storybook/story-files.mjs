// @ts-check
/**
 * Where stories live. Storybook (`main.ts`) globs these folders and the story test renders
 * every file found here, so a new `*.stories.ts` file is documented and tested without
 * touching either.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders holding `*.stories.ts` files, relative to this configuration folder. */
export const storyDirectories = ['../widgets/src', './docs'];
export const storyFileSuffix = '.stories.ts';

const configDir = fileURLToPath(new URL('.', import.meta.url));

/** Absolute paths of every stories file, sorted so that runs are reproducible. */
export function findStoryFiles() {
  return storyDirectories
    .map((directory) => path.resolve(configDir, directory))
    .flatMap((directory) =>
      readdirSync(directory, { recursive: true, encoding: 'utf8' })
        .filter(
          (file) =>
            file.endsWith(storyFileSuffix) && !file.split(path.sep).includes('node_modules'),
        )
        .map((file) => path.join(directory, file)),
    )
    .sort();
}
