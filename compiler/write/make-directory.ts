import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** `mkdir -p`, one level at a time: Node's recursive mkdir never returns for some paths (under /proc). */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  for (let current = resolve(path); !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const dir of missing) mkdirSync(dir);
}
