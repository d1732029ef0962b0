import { Document, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, visit, type Node } from 'yaml';
import { shortForm } from './intrinsic.ts';
import { orderKeys, sortedKeys, type KeyOrder } from './key-order.ts';

export interface YamlOptions {
  keyOrder?: KeyOrder;
  /** Comment lines above the document (without `#`). */
  header?: readonly string[];
  /** Write CloudFormation intrinsic functions (`{ Ref: … }`, `{ "Fn::Sub": … }`) as short tags. */
  intrinsics?: boolean;
  /** Lists whose items are written one per line, `{ Name: X, Value: y }` (a small mapping of scalars each). */
  flowItems?: (path: readonly string[]) => boolean;
}

/**
 * Canonical YAML: keys in a stable order, no line folding, block literals for
 * multi-line text, and quotes on every string a YAML 1.1 or 1.2 reader would
 * take for something else (`yes`, `0755`, `null`, `1e3`, `~`), because the
 * readers of these files (PyYAML in docker-compose, go-yaml in kubectl) do not
 * all speak the same YAML.
 */
export function toYaml(value: unknown, options: YamlOptions = {}): string {
  const doc = new Document(null, { version: '1.2' });
  doc.contents = toNode(doc, value, options.keyOrder ?? sortedKeys, [], options.intrinsics ?? false) as never;
  if (options.flowItems) flowListItems(doc, options.flowItems);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== 'string') return;
      if (ESCAPED.test(node.value) || YAML11_TAGS.has(node.value)) node.type = Scalar.QUOTE_DOUBLE;
      else if (node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
      else if (needsQuotes(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  const body = escapeRaw(
    doc.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true, nullStr: 'null', doubleQuotedMinMultiLineLength: Infinity, doubleQuotedAsJSON: true }),
  );
  const header = (options.header ?? []).map((line) => (line ? escapeRaw(`# ${line}`, new RegExp(ESCAPED.source, 'g')) : '#')).join('\n');
  return header ? `${header}\n${body}` : body;
}

/** Several documents in one file, separated by `---`. */
export function toYamlStream(values: readonly unknown[], options: YamlOptions = {}): string {
  const [first, ...rest] = values;
  return [toYaml(first, options), ...rest.map((v) => toYaml(v, { ...options, header: [] }))].join('---\n');
}

/** A YAML node for a value: mappings in canonical key order, intrinsic functions as tagged nodes. */
function toNode(doc: Document, value: unknown, keyOrder: KeyOrder, path: string[], intrinsics: boolean): Node {
  const tagged = intrinsics ? shortForm(value) : undefined;
  if (tagged) {
    const node = toNode(doc, tagged.value, keyOrder, path, intrinsics);
    node.tag = tagged.tag;
    if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
    return node;
  }
  if (Array.isArray(value)) {
    const seq = doc.createNode([]) as Node & { items: Node[] };
    seq.items = value.map((item) => toNode(doc, item, keyOrder, path, intrinsics));
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const map = doc.createNode({}) as Node & { items: unknown[] };
    const keys = Object.keys(record).filter((k) => record[k] !== undefined);
    map.items = orderKeys(keys, keyOrder(path)).map((key) => doc.createPair(key, toNode(doc, record[key], keyOrder, [...path, key], intrinsics)));
    return map;
  }
  return doc.createNode(value) as Node;
}

/** Small mappings of scalars in the chosen lists become one-line flow mappings. */
function flowListItems(doc: Document, chosen: (path: readonly string[]) => boolean): void {
  visit(doc, {
    Seq(_, seq, path) {
      const keys = path.filter(isPair).map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
      if (!chosen(keys)) return;
      for (const item of seq.items) {
        if (!isMap(item) || !item.items.every((pair) => isScalar(pair.value))) continue;
        item.flow = true;
        // Inside braces, more characters are syntax (and PyYAML rejects even `?` there): quote such text.
        for (const pair of item.items) {
          const value = pair.value as Scalar;
          if (typeof value.value === 'string' && /[,[\]{}?:#&*!|>'"%@`]/.test(value.value)) value.type = Scalar.QUOTE_DOUBLE;
        }
      }
    },
  });
}

/**
 * Characters no reader agrees on outside a double-quoted scalar, written as
 * escapes there: C0 controls but the line feed (a tab starts no token in
 * PyYAML, `\r` is a line break), DEL and the C1 controls (outside YAML's
 * printable set), U+0085, U+2028 and U+2029 (line breaks to YAML 1.1
 * readers: PyYAML in docker-compose and cloud-init, CloudFormation; go-yaml
 * in kubectl reads them as text, so a block literal means different text to
 * each), U+FEFF (a byte-order mark), and lone surrogates. Sources: YAML 1.1
 * §5.1 (printable set), §5.4 (line breaks), §5.7 (escapes `\x`, `\u`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what YAML readers disagree on
const ESCAPED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The same, where the `yaml` library leaves them raw in a double-quoted scalar (it escapes C0 itself). */
const RAW = /[\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Plain scalars a YAML 1.1 reader resolves to a type with no constructor in a
 * safe loader: `<<` (merge) and `=` (value) make PyYAML's safe_load fail.
 */
const YAML11_TAGS = new Set(['<<', '=']);

/** `\x85`, `\u2028` for each raw character of {@link RAW}: only ever inside double quotes, where these are escapes. */
function escapeRaw(text: string, raw: RegExp = RAW): string {
  return text.replace(raw, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const quoteCache = new Map<string, boolean>();

export function needsQuotes(text: string): boolean {
  let cached = quoteCache.get(text);
  if (cached === undefined) {
    cached = text === '' || text.trim() !== text || (['1.1', '1.2'] as const).some((version) => !readsBackAsString(text, version));
    quoteCache.set(text, cached);
  }
  return cached;
}

function readsBackAsString(text: string, version: '1.1' | '1.2'): boolean {
  const doc = parseDocument(text, { version, strict: false, uniqueKeys: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const node: Node | null = doc.contents;
  return isScalar(node) && !isMap(node) && !isSeq(node) && node.value === text && node.type === 'PLAIN';
}
