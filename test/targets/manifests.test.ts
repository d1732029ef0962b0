import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../compiler/diagnostics/codes.ts';
import { TargetError, TargetRegistry } from '../../compiler/targets/registry.ts';
import { BUILT_IN_TARGETS } from '../../targets/built-in.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('target manifests', () => {
  it.each(BUILT_IN_TARGETS.map((t) => [t.manifest.name, t] as const))('%s: the loaded target carries its manifest', async (_name, builtIn) => {
    const target = await builtIn.load();
    for (const [key, value] of Object.entries(builtIn.manifest)) expect(target[key as keyof typeof target], key).toBe(value);
    expect(builtIn.manifest.settingsKey).toBe(builtIn.manifest.name);
  });

  it.each(BUILT_IN_TARGETS.map((t) => [t.manifest.name, t.manifest] as const))(
    '%s: every code its folder reports is declared, and none it declares as retired',
    (name, manifest) => {
      const dir = join(ROOT, 'targets', name);
      const used = new Set<string>();
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('manifest.ts')))
        for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/'(AFC3\d{3})'/g)) used.add(match[1]!);
      const codes = manifest.codes ?? {};
      const declared = Object.keys(codes).filter((code) => !codes[code as keyof typeof codes]!.replacedBy);
      expect([...used].filter((code) => !declared.includes(code))).toEqual([]);
    },
  );

  it('gives every code one meaning: no target code is a compiler code, and one number has one title', () => {
    const titles = new Map<string, string>();
    for (const { manifest } of BUILT_IN_TARGETS) {
      for (const [code, info] of Object.entries(manifest.codes ?? {})) {
        expect(code).toMatch(/^AFC3\d{3}$/);
        expect(CODES).not.toHaveProperty(code);
        if (info.replacedBy) expect(CODES).toHaveProperty(info.replacedBy);
        expect(titles.get(code) ?? info.title, `${manifest.name} ${code}`).toBe(info.title);
        titles.set(code, info.title);
      }
    }
    const registry = new TargetRegistry();
    expect(registry.codes().get('AFC3402')).toEqual({ title: 'managed database on eks', exit: 1 });
    expect(registry.codes().get('AFC3201')).toEqual({ title: 'executor not possible on ec2', exit: 1, replacedBy: 'AFC2022' });
    expect(registry.codes().get('AFC2022')?.title).toBe('target cannot run this executor or DAG source');
  });

  it("refuses a plugin that takes another's code or settings", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-manifest-'));
    const plugin = (file: string, fields: string) => {
      writeFileSync(
        join(dir, file),
        `export default { name: 'p', description: 'd', supports: { executors: ['LocalExecutor'], dagSources: ['image'] }, secrets: 'values', check() {}, render() { return []; }, ${fields} };\n`,
      );
      return `./${file}`;
    };
    const registry = new TargetRegistry();
    await expect(registry.addPlugin(plugin('a.mjs', "codes: { AFC3402: { title: 'mine' } }"), dir)).rejects.toThrow('code AFC3402 is already taken');
    await expect(registry.addPlugin(plugin('b.mjs', "settingsKey: 'ecs'"), dir)).rejects.toThrow(TargetError);
    await expect(registry.addPlugin(plugin('c.mjs', "codes: { AFC2001: { title: 'mine' } }"), dir)).rejects.toThrow('codes must be AFC3xxx');
    const ok = await registry.addPlugin(plugin('d.mjs', "codes: { AFC3999: { title: 'p needs a thing' } }"), dir);
    expect(ok.name).toBe('p');
    expect(registry.codes().get('AFC3999')).toEqual({ title: 'p needs a thing', exit: 1 });
    expect(registry.manifests().map((m) => m.name)).toEqual(['compose', 'ec2', 'ecs', 'eks', 'kubernetes', 'p']);
  });
});
