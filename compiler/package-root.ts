import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | undefined;

/** The folder of afc's package.json, whether afc runs bundled (dist/) or from source. */
export function packageRoot(): string {
  found ??= search();
  return found;
}

function search(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'afc') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the afc package folder');
    dir = parent;
  }
}
