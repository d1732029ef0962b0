import { isNode } from 'yaml';
import type { LoadedSpec } from '../load/load-spec.ts';
import { collectSecretUses } from './collect.ts';

/**
 * The spec's text for code frames, with the value of every `{ value: … }`
 * secret (base spec and environment overlays) masked: each character of the
 * scalar as written becomes `*`, line breaks kept, so that lines and columns
 * stay where they were and a diagnostic on the line (AFC2008 itself) never
 * shows the secret. Diagnostics print frames only from this text.
 */
export function redactSecretValues(spec: LoadedSpec): string {
  const ranges: [number, number][] = [];
  const bases: (string | number)[][] = [[], ...Object.keys(asRecord(spec.data.environments)).map((name) => ['environments', name])];
  for (const base of bases) {
    const data = base.length === 0 ? spec.data : spec.document.getIn(base);
    if (data === undefined) continue;
    const plain = base.length === 0 ? data : (spec.document.getIn(base, true) as { toJSON?: () => unknown })?.toJSON?.();
    for (const use of collectSecretUses(plain)) {
      if (use.ref.value === undefined) continue;
      const node = spec.document.getIn([...base, ...use.path, 'value'], true);
      if (isNode(node) && node.range) ranges.push([node.range[0], node.range[1]]);
    }
  }
  if (ranges.length === 0) return spec.source;
  let text = spec.source;
  for (const [start, end] of ranges) text = text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, '*') + text.slice(end);
  return text;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
