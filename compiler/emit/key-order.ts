/**
 * Where a mapping's keys have a conventional order (`apiVersion, kind,
 * metadata` in Kubernetes, `image` first in a compose service), those keys
 * come first, in that order; every other key follows, sorted. `path` is the
 * list of keys from the document's root (list positions are left out).
 */
export type KeyOrder = (path: readonly string[]) => readonly string[] | undefined;

export const sortedKeys: KeyOrder = () => undefined;

export function orderKeys(keys: readonly string[], head: readonly string[] | undefined): string[] {
  const first = (head ?? []).filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !first.includes(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...first, ...rest];
}
