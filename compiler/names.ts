/**
 * A name afc derives from the spec's `name`, and the platform limit it must
 * respect. A target declares its derived names in its manifest and builds
 * them with `derivedName`, so that the rule that checks the limits and the
 * names rendered agree.
 */
export interface DerivedName {
  resource: string;
  suffix: string;
  /** The platform's maximum length for this resource's name. */
  limit: number;
}

/** The resource's name: the spec's `name` and the entry's suffix (`analytics-alb`); `limit` is what it must fit. */
export function derivedName(name: string, entry: DerivedName): string {
  return `${name}${entry.suffix}`;
}
