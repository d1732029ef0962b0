import { DERIVED_NAMES, derivedName } from '../../names.ts';
import type { Rule } from '../rule-context.ts';

/**
 * Every resource name starts with `name`; the platforms cap their lengths.
 * With a target named, only its resources count, as errors; without one,
 * every built-in target's resources count, as warnings.
 */
export const derivedNamesFit: Rule = ({ spec, target, report }) => {
  const over = DERIVED_NAMES.filter((entry) => (!target || entry.targets.includes(target)) && derivedName(spec.name, entry).length > entry.limit);
  if (over.length > 0) {
    const room = Math.min(...over.map((entry) => entry.limit - entry.suffix.length));
    const names = over.map((entry) => `${entry.resource} "${derivedName(spec.name, entry)}" (${derivedName(spec.name, entry).length} > ${entry.limit})`);
    const targets = [...new Set(over.flatMap((entry) => entry.targets))].filter((t) => !target || t === target);
    report(
      target ? 'error' : 'warning',
      'AFC2010',
      ['name'],
      `name "${spec.name}" is too long for target ${targets.join('/')}: ${names.join(', ')}`,
      `use a name of at most ${room} characters`,
      'value',
    );
  }
  // RDS and ElastiCache identifiers may not hold two hyphens in a row.
  if (spec.name.includes('--') && (!target || target === 'ecs')) {
    report(
      target ? 'error' : 'warning',
      'AFC2010',
      ['name'],
      `name "${spec.name}" holds "--", which RDS and ElastiCache identifiers do not allow`,
      `use "${spec.name.replace(/-+/g, '-')}"`,
      'value',
    );
  }
};
