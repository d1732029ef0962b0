import { orderKeys, sortedKeys, type KeyOrder } from './key-order.ts';

/** Canonical JSON: stable key order, two-space indent, a final newline. JSON has no comments, so no header. */
export function toJson(value: unknown, keyOrder: KeyOrder = sortedKeys): string {
  return `${JSON.stringify(order(value, keyOrder, []), null, 2)}\n`;
}

function order(value: unknown, keyOrder: KeyOrder, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => order(v, keyOrder, path));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of orderKeys(
    Object.keys(record).filter((k) => record[k] !== undefined),
    keyOrder(path),
  ))
    out[key] = order(record[key], keyOrder, [...path, key]);
  return out;
}
