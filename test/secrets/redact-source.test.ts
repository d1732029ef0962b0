import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics, OUTPUT_FORMATS } from '../../compiler/diagnostics/format.ts';
import { redactValueKeys } from '../../compiler/secrets/redact-source.ts';
import { validateFile } from '../../compiler/validate/validate-spec.ts';

/** { value: } secrets in every way YAML writes a scalar, around a syntax error on a neighbouring line. */
const BROKEN = `apiVersion: afc/v1
name: x
secrets:
  fernetKey: { value: "SECRET-ONE" }
  apiSecretKey: { value: SECRET-TWO, extra: [ }
  jwtSecret:
    value: |
      SECRET-THREE
  adminUser: { password: { value: 'SECRET-FOUR' } }
variables: { value: SECRET-FIVE }
airflow: { version: "3.1.3"
`;

describe('code frames of a spec that does not parse', () => {
  it('mask the value of every value: key, lines and columns kept', () => {
    const masked = redactValueKeys(BROKEN);
    expect(masked).not.toMatch(/SECRET/);
    expect(masked.split('\n').map((l) => l.length)).toEqual(BROKEN.split('\n').map((l) => l.length));
    expect(masked.split('\n').slice(3, 5)).toEqual(['  fernetKey: { value: ************ }', '  apiSecretKey: { value: **********, extra: [ }']);
  });

  it('never print a { value: } secret beside the syntax error, in any format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-redact-'));
    const file = join(dir, 'airflow.yaml');
    writeFileSync(file, BROKEN);
    const result = validateFile(file);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('AFC0103');
    for (const format of OUTPUT_FORMATS) {
      const printed = formatDiagnostics(result.diagnostics, format, new Map([[file, result.source!]]));
      expect(printed, format).toContain('AFC0103');
      expect(printed, format).not.toMatch(/SECRET/);
    }
    // The frame of the error at line 5 shows line 4 (masked) and the error's own line.
    expect(formatDiagnostics(result.diagnostics, 'text', new Map([[file, result.source!]]))).toContain('fernetKey: { value: ************ }');
  });
});
