import fastJsonPatch from 'fast-json-patch';
import type { FilePatch } from '../../schema/generated/types.ts';
import type { Problem, SpecPath } from '../diagnostics/problem.ts';
import type { DeepReadonly } from '../normalize/freeze.ts';
import type { TargetDocument } from '../targets/target.ts';

/**
 * Applies the spec's RFC 6902 patches to the target's documents, last, as
 * DESIGN.md says. `at` is where the patches are in the spec
 * (`overrides.<target>`); a problem points at a file patch's `file` or at
 * the operation that failed.
 */
export function applyOverrides(documents: TargetDocument[], patches: readonly DeepReadonly<FilePatch>[], at: SpecPath): Problem[] {
  const problems: Problem[] = [];
  const problem = (index: number, operation: number | undefined, message: string): Problem => ({
    code: 'AFC5001',
    severity: 'error',
    path: operation === undefined ? [...at, index, 'file'] : [...at, index, 'patch', operation],
    at: 'value',
    message,
  });
  patches.forEach((filePatch, index) => {
    const doc = documents.find((d) => d.path === filePatch.file);
    if (!doc) {
      problems.push(problem(index, undefined, `no generated file is named ${filePatch.file}; files: ${documents.map((d) => d.path).join(', ')}`));
      return;
    }
    if (doc.format === 'text') {
      problems.push(problem(index, undefined, `${filePatch.file} is text; only YAML and JSON files can be patched`));
      return;
    }
    let target: unknown = doc.content;
    let assign = (value: unknown) => {
      doc.content = value as never;
    };
    if (doc.format === 'yaml-stream') {
      const key = filePatch.document;
      const position = doc.content.findIndex((d) => `${(d as { kind?: string }).kind}/${(d as { metadata?: { name?: string } }).metadata?.name}` === key);
      if (position === -1) {
        problems.push(
          problem(index, undefined, `${filePatch.file} holds several documents: name one with document: Kind/name${key ? ` (no ${key} in it)` : ''}`),
        );
        return;
      }
      target = doc.content[position];
      assign = (value) => {
        (doc.content as unknown[])[position] = value;
      };
    }
    let current = target;
    for (const [operation, op] of filePatch.patch.entries()) {
      try {
        current = fastJsonPatch.applyOperation(current, op as fastJsonPatch.Operation, true, false).newDocument;
      } catch (error) {
        problems.push(problem(index, operation, `patch operation failed: ${(error as Error).message.split('\n')[0]}`));
        return;
      }
    }
    assign(current);
  });
  return problems;
}
