import { toHcl } from '../emit/hcl.ts';
import { toJson } from '../emit/json.ts';
import { toYaml, toYamlStream } from '../emit/yaml.ts';
import type { TargetDocument } from '../targets/target.ts';
import type { OutputFile } from '../write/output-file.ts';

/** Serializes a target's documents, each with a header where the format has comments. */
export function emitDocuments(documents: readonly TargetDocument[], header: readonly string[]): OutputFile[] {
  return documents.map((doc): OutputFile => {
    const secret = doc.secret ?? false;
    switch (doc.format) {
      case 'yaml': {
        const yaml = toYaml(doc.content, {
          header,
          ...(doc.keyOrder ? { keyOrder: doc.keyOrder } : {}),
          ...(doc.intrinsics ? { intrinsics: true } : {}),
          ...(doc.flowItems ? { flowItems: doc.flowItems } : {}),
        });
        // A line readers require first (`#cloud-config`) goes above afc's header.
        return { path: doc.path, content: doc.preamble ? `${doc.preamble}\n${yaml}` : yaml, secret };
      }
      case 'yaml-stream':
        return { path: doc.path, content: toYamlStream(doc.content, { header, ...(doc.keyOrder ? { keyOrder: doc.keyOrder } : {}) }), secret };
      case 'json':
        return { path: doc.path, content: toJson(doc.content, doc.keyOrder), secret };
      case 'hcl':
        return { path: doc.path, content: toHcl(Object.values(doc.content), header), secret };
      case 'text': {
        const prefix = doc.commentPrefix;
        const suffix = doc.commentSuffix ? ` ${doc.commentSuffix}` : '';
        const lines = prefix === undefined ? '' : header.map((line) => (line ? `${prefix} ${line}${suffix}` : prefix)).join('\n');
        const body =
          doc.content.startsWith('#!') && lines ? doc.content.replace(/^(#![^\n]*\n)/, `$1${lines}\n`) : lines ? `${lines}\n${doc.content}` : doc.content;
        return { path: doc.path, content: body, secret };
      }
      default:
        throw new Error(`unknown document format ${(doc satisfies never as TargetDocument).format}`);
    }
  });
}
