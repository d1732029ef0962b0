import { toJson } from '../emit/json.ts';
import { toYaml, toYamlStream } from '../emit/yaml.ts';
import type { TargetDocument } from '../targets/target.ts';
import type { OutputFile } from '../write/output-file.ts';

/** Serializes a target's documents, each with a header where the format has comments. */
export function emitDocuments(documents: readonly TargetDocument[], header: readonly string[]): OutputFile[] {
  return documents.map((doc): OutputFile => {
    const secret = doc.secret ?? false;
    switch (doc.format) {
      case 'yaml':
        return { path: doc.path, content: toYaml(doc.content, { header, ...(doc.keyOrder ? { keyOrder: doc.keyOrder } : {}), ...(doc.intrinsics ? { intrinsics: true } : {}), ...(doc.flowItems ? { flowItems: doc.flowItems } : {}) }), secret };
      case 'yaml-stream':
        return { path: doc.path, content: toYamlStream(doc.content, { header, ...(doc.keyOrder ? { keyOrder: doc.keyOrder } : {}) }), secret };
      case 'json':
        return { path: doc.path, content: toJson(doc.content, doc.keyOrder), secret };
      case 'text': {
        const prefix = doc.commentPrefix;
        const lines = prefix === undefined ? '' : header.map((line) => (line ? `${prefix} ${line}` : prefix)).join('\n');
        const body = doc.content.startsWith('#!') && lines ? doc.content.replace(/^(#![^\n]*\n)/, `$1${lines}\n`) : lines ? `${lines}\n${doc.content}` : doc.content;
        return { path: doc.path, content: body, secret };
      }
    }
  });
}
