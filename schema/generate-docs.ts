import type { SchemaNode } from '../compiler/validate/schema-walk.ts';

/**
 * docs/spec.md from the schema: one section per mapping, one row per key,
 * with its type, default, description and an example.
 */
type Node = SchemaNode;

interface Section {
  heading: string;
  anchor: string;
  node: Node;
}

export function specReferenceMarkdown(root: Node): string {
  const resolve = (node: Node): Node => {
    if (!node.$ref) return node;
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], root) as Node;
    return {
      ...resolve(target),
      ...(node.description ? { description: node.description } : {}),
      ...(node.default !== undefined ? { default: node.default } : {}),
    };
  };
  const isMapping = (node: Node) => node.type === 'object' && (node.properties !== undefined || node.patternProperties !== undefined);
  const sections: Section[] = [];
  const byNode = new Map<Node, Section>();
  const anchorOf = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');

  // A definition used by $ref gets one section named by its title; inline mappings are named by their path.
  const visit = (raw: Node, path: string): void => {
    const target = raw.$ref
      ? (raw.$ref
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((at, p) => (at as Record<string, unknown>)[p], root) as Node)
      : raw;
    if (target.anyOf) {
      for (const branch of target.anyOf) visit(branch, path);
      return;
    }
    if (target.type === 'array' && target.items) {
      visit(target.items, `${path}[]`);
      return;
    }
    if (!isMapping(target) || byNode.has(target)) return;
    const heading = raw.$ref && target.title ? `${target.title} (\`${path}\`)` : `\`${path}\``;
    const section = { heading, anchor: anchorOf(heading), node: target };
    byNode.set(target, section);
    sections.push(section);
    for (const [key, child] of Object.entries(target.properties ?? {})) visit(child, path ? `${path}.${key}` : key);
    for (const [pattern, child] of Object.entries(target.patternProperties ?? {})) visit(child, `${path}.<${keyName(pattern)}>`);
  };
  visit(root, '');
  sections[0]!.heading = 'Top level';
  sections[0]!.anchor = 'top-level';

  const typeOf = (raw: Node): string => {
    const node = resolve(raw);
    const link = byNode.get(
      raw.$ref
        ? (raw.$ref
            .replace(/^#\//, '')
            .split('/')
            .reduce<unknown>((at, p) => (at as Record<string, unknown>)[p], root) as Node)
        : raw,
    );
    if (link) return `[${node.title === 'SecretRef' ? 'secret reference' : 'mapping'}](#${link.anchor})`;
    if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
    if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
    if (node.type === 'array') return `list of ${node.items ? typeOf(node.items) : 'values'}`;
    if (node.type === 'object') return 'mapping';
    if (node.type === 'integer') return 'integer';
    return node.type ?? 'any value';
  };
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const constraints = (node: Node): string[] => {
    const out: string[] = [];
    if (node.pattern) out.push(`match \`${node.pattern}\``);
    if (node.minimum !== undefined) out.push(`be ≥ ${node.minimum}`);
    if (node.maximum !== undefined) out.push(`be ≤ ${node.maximum}`);
    if (node.maxLength !== undefined) out.push(`have at most ${node.maxLength} characters`);
    return out;
  };

  const out: string[] = [
    '# airflow.yaml reference',
    '',
    '<!-- Generated from schema/airflow.schema.json by `npm run generate`; do not edit. -->',
    '',
    `${root.description ?? ''} Every mapping rejects keys it does not list.`,
    '',
  ];
  for (const section of sections) {
    const node = section.node;
    out.push(`## ${section.heading}`, '');
    if (node.description && section.anchor !== 'top-level') out.push(node.description, '');
    if (node.minProperties === 1 && node.maxProperties === 1)
      out.push(
        `Exactly one of: ${Object.keys(node.properties ?? {})
          .map((k) => `\`${k}\``)
          .join(', ')}.`,
        '',
      );
    out.push('| key | type | required | default | description |', '| --- | --- | --- | --- | --- |');
    const rows: [string, Node][] = [
      ...Object.entries(node.properties ?? {}),
      ...Object.entries(node.patternProperties ?? {}).map(([p, n]): [string, Node] => [`<${keyName(p)}>`, n]),
    ];
    for (const [key, raw] of rows) {
      const child = resolve(raw);
      const rules = constraints(child);
      const description = [child.description ?? '', rules.length ? `Must ${rules.join('; ')}.` : ''].filter(Boolean).join(' ');
      const example = child.examples?.[0];
      const defaultValue = child.default !== undefined ? `\`${JSON.stringify(child.default)}\`` : '';
      const exampleText = example !== undefined ? ` Example: \`${JSON.stringify(example)}\`.` : '';
      out.push(
        `| \`${key}\` | ${cell(typeOf(raw))} | ${node.required?.includes(key) ? 'yes' : ''} | ${cell(defaultValue)} | ${cell(description + exampleText)} |`,
      );
    }
    const patterns = Object.keys(node.patternProperties ?? {});
    if (patterns.length) out.push('', `Keys ${patterns.map((p) => `\`<${keyName(p)}>\` match \`${p}\``).join('; ')}.`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** A readable placeholder for a key pattern. */
function keyName(pattern: string): string {
  if (pattern.startsWith('^x-')) return 'x-name';
  if (pattern.startsWith('^[A-Z')) return 'NAME';
  return 'name';
}
