/**
 * `import()` that also works when the bundle runs from bin/afc.cjs's V8 code
 * cache: code compiled by vm.Script on Node 20 cannot call import() itself,
 * so bin/afc.cjs lends its own (globalThis.__afcImport).
 */
export function importModule<T = unknown>(specifier: string): Promise<T> {
  const lent = (globalThis as { __afcImport?: (specifier: string) => Promise<unknown> }).__afcImport;
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}
