import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cfnLint } from './cloudformation.ts';

/**
 * cfnLint() against stand-ins for cfn-lint put first on PATH: a run that did
 * not finish must fail the test that asked for it, never read as "no findings".
 */
describe('cfnLint', () => {
  const template = '/tmp/stack.yaml';
  function fakeCfnLint(script: string): void {
    const dir = mkdtempSync(join(tmpdir(), 'afc-fake-cfn-lint-'));
    writeFileSync(join(dir, 'cfn-lint'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, 'cfn-lint'), 0o755);
    vi.stubEnv('PATH', `${dir}:${process.env.PATH}`);
  }
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('throws when cfn-lint is killed by a signal', () => {
    fakeCfnLint('kill -KILL $$');
    expect(() => cfnLint([template])).toThrow('cfn-lint was killed by SIGKILL');
  });

  it('throws when cfn-lint itself fails (exit code with the 1 bit)', () => {
    fakeCfnLint('echo "Traceback (most recent call last):" >&2; exit 1');
    expect(() => cfnLint([template])).toThrow(/cfn-lint failed to run \(exit 1\): Traceback/);
  });

  it('throws when cfn-lint exits non-zero without a finding it names', () => {
    fakeCfnLint('echo "Segmentation fault"; exit 2');
    expect(() => cfnLint([template])).toThrow('cfn-lint exited 2 without a finding it could name: Segmentation fault');
  });

  it('returns the findings per file, and none for a clean run', () => {
    fakeCfnLint(`echo "${template}:3:5:3:9:E3006:Resource type 'AWS::SNS::Topicx' does not exist"; exit 2`);
    expect(cfnLint([template, '/tmp/other.yaml'])).toEqual({
      [template]: ["3:5:3:9:E3006:Resource type 'AWS::SNS::Topicx' does not exist"],
      '/tmp/other.yaml': [],
    });
    fakeCfnLint('exit 0');
    expect(cfnLint([template])).toEqual({ [template]: [] });
  });
});
