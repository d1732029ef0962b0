import { describe, expect, it } from 'vitest';
import { scanForLeaks } from '../../compiler/build/leak-scan.ts';

describe('scanForLeaks', () => {
  const secret = 'p@ss: "w\\ord$1" é';
  const file = (path: string, content: string, isSecret = false) => ({ path, content, secret: isSecret });

  it('finds a value in every form afc writes it in, naming the file only', () => {
    const files = [
      file('raw.txt', `x ${secret} y`),
      file('json.json', JSON.stringify({ v: secret })),
      file('compose.yaml', `V: p@ss: "w\\ord$$1" é`),
      file('url.txt', `postgresql://u:${encodeURIComponent(secret)}@h/db`),
      file('base64.yaml', `data: ${Buffer.from(secret).toString('base64')}`),
      file('.env', `V='${secret}'`, true),
      file('clean.yaml', 'nothing here'),
    ];
    const problems = scanForLeaks(files, [secret]);
    expect(problems.map((p) => p.message)).toEqual(
      ['raw.txt', 'json.json', 'compose.yaml', 'url.txt', 'base64.yaml'].map((f) => `a secret value appears in ${f}, which is not a secret file`),
    );
    expect(JSON.stringify(problems)).not.toContain('ord$1');
  });

  it('leaves values too short to be told from chance alone', () => {
    expect(scanForLeaks([file('a.yaml', 'port: 5432')], ['5432'])).toEqual([]);
  });
});
