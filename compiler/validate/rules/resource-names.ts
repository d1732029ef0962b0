import { DERIVED_NAMES, derivedName } from '../../names.ts';
import type { Rule } from '../rule-context.ts';

/**
 * Every resource name starts with `name`; the platforms cap their lengths.
 * With a target named, only its resources count, as errors; without one,
 * every built-in target's resources count, as warnings.
 */
export const derivedNamesFit: Rule = ({ spec, target, report }) => {
  for (const entry of DERIVED_NAMES) {
    if (target && !entry.targets.includes(target)) continue;
    const full = derivedName(spec.name, entry);
    if (full.length <= entry.limit) continue;
    const room = entry.limit - entry.suffix.length;
    report(
      target ? 'error' : 'warning',
      'AFC2010',
      ['name'],
      `name "${spec.name}" is too long for target ${entry.targets.join('/')}: the ${entry.resource} "${full}" would have ${full.length} characters, over the limit of ${entry.limit}`,
      `use a name of at most ${room} characters`,
      'value',
    );
  }
  // RDS and ElastiCache identifiers may not hold two hyphens in a row.
  if (spec.name.includes('--') && (!target || ['ecs', 'ec2'].includes(target))) {
    report(target ? 'error' : 'warning', 'AFC2010', ['name'], `name "${spec.name}" holds "--", which RDS and ElastiCache identifiers do not allow`, `use "${spec.name.replace(/-+/g, '-')}"`, 'value');
  }
};
