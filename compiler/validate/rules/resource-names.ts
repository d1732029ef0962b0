import { derivedName, type DerivedName } from '../../names.ts';
import type { Rule } from '../rule-context.ts';

/**
 * Every resource name starts with `name`; the platforms cap their lengths and
 * refuse some characters. With a target named, only its resources count, as
 * errors; without one, every known target's resources count, as warnings.
 */
export const derivedNamesFit: Rule = ({ spec, targets, report }) => {
  const severity = targets.named ? 'error' : 'warning';
  // Targets on one platform declare the same names: one entry each, with every target that has it.
  const entries = new Map<string, { entry: DerivedName; targets: string[] }>();
  for (const manifest of targets.manifests) {
    for (const entry of manifest.derivedNames ?? []) {
      const key = `${entry.resource}\0${entry.suffix}\0${entry.limit}`;
      const known = entries.get(key) ?? { entry, targets: [] };
      known.targets.push(manifest.name);
      entries.set(key, known);
    }
  }
  const over = [...entries.values()].filter(({ entry }) => derivedName(spec.name, entry).length > entry.limit);
  if (over.length > 0) {
    const room = Math.min(...over.map(({ entry }) => entry.limit - entry.suffix.length));
    const names = over.map(({ entry }) => `${entry.resource} "${derivedName(spec.name, entry)}" (${derivedName(spec.name, entry).length} > ${entry.limit})`);
    const owners = [...new Set(over.flatMap((o) => o.targets))];
    report(
      severity,
      'AFC2010',
      ['name'],
      `name "${spec.name}" is too long for target ${owners.join('/')}: ${names.join(', ')}`,
      `use a name of at most ${room} characters`,
      'value',
    );
  }
  const refusals = new Map(targets.manifests.flatMap((m) => m.nameRules ?? []).map((rule) => [`${rule.holds}\0${rule.refusedBy}`, rule]));
  for (const rule of refusals.values()) {
    if (!spec.name.includes(rule.holds)) continue;
    report(
      severity,
      'AFC2010',
      ['name'],
      `name "${spec.name}" holds "${rule.holds}", which ${rule.refusedBy} do not allow`,
      `use "${rule.fix(spec.name)}"`,
      'value',
    );
  }
};
