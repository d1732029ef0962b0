import { CST, isNode, Parser } from 'yaml';
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
  return mask(spec.source, ranges);
}

/**
 * The text of a spec that does not parse (a YAML syntax error), for code
 * frames: no document says which scalars are secrets, so the scalar value of
 * every `value` key of any mapping, block or flow, as far as YAML's concrete
 * syntax tree reads it (`value: x`, `{ value: "x" }`, `value: |` and its
 * lines), is masked as {@link redactSecretValues} masks it. A `value` key that
 * is not a secret is masked too when its value is a scalar (a frame of a broken
 * spec shows less, never a secret); a collection (an override patch's value)
 * is never a secret and stays. The tree is walked without recursion, as deep
 * as a spec nests (AFC0110).
 */
export function redactValueKeys(source: string): string {
  const ranges: [number, number][] = [];
  const pending: CST.Token[] = [];
  for (const token of new Parser().parse(source)) if (token.type === 'document' && token.value) pending.push(token.value);
  for (let token = pending.pop(); token; token = pending.pop()) {
    if (!('items' in token) || !Array.isArray(token.items)) continue;
    for (const item of token.items as CST.CollectionItem[]) {
      if (item.value && isValueKey(item.key)) {
        const range = scalarRange(item.value);
        if (range) ranges.push(range);
      }
      for (const child of [item.key, item.value]) if (child && typeof child === 'object' && 'type' in child) pending.push(child as CST.Token);
    }
  }
  return mask(source, ranges);
}

function isValueKey(key: CST.CollectionItem['key']): boolean {
  return key !== null && key !== undefined && CST.isScalar(key) && CST.resolveAsScalar(key, false, () => undefined)?.value === 'value';
}

/** A flow scalar's own text (not the spaces or comment after it); a block scalar with its header and lines; else undefined. */
function scalarRange(token: CST.Token): [number, number] | undefined {
  if (token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar')
    return [token.offset, token.offset + token.source.length];
  if (token.type === 'block-scalar') return [token.offset, token.offset + CST.stringify(token).length];
  return undefined;
}

/** `text` with every character in `ranges` (offsets) but line breaks written `*`. */
function mask(text: string, ranges: readonly [number, number][]): string {
  let out = text;
  for (const [start, end] of ranges) out = out.slice(0, start) + out.slice(start, end).replace(/[^\r\n]/g, '*') + out.slice(end);
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
