import { readFileSync } from 'node:fs';

// Replaced by the bundler (scripts/build.mjs); read from package.json when running from source.
declare const __AFC_VERSION__: string | undefined;

export const AFC_VERSION: string =
  typeof __AFC_VERSION__ === 'string'
    ? __AFC_VERSION__
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
