import type { Rule } from '../rule-context.ts';

/** RFC 6902: add, replace and test need `value`; move and copy need `from`. */
export const patchOperationsComplete: Rule = ({ spec, report }) => {
  for (const [target, patches] of Object.entries(spec.overrides ?? {})) {
    (patches ?? []).forEach((filePatch, i) => {
      filePatch.patch.forEach((operation, j) => {
        const path = ['overrides', target, i, 'patch', j];
        if (['add', 'replace', 'test'].includes(operation.op) && !('value' in operation)) {
          report('error', 'AFC2018', [...path, 'op'], `the "${operation.op}" operation needs \`value\``, 'add `value: ...` to the operation', 'value');
        }
        if (['move', 'copy'].includes(operation.op) && operation.from === undefined) {
          report('error', 'AFC2018', [...path, 'op'], `the "${operation.op}" operation needs \`from\``, 'add `from: /json/pointer` to the operation', 'value');
        }
      });
    });
  }
};
