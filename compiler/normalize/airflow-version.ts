/** An Airflow release number and the facts afc derives from it. */
export interface AirflowVersion {
  raw: string;
  major: number;
  minor: number;
  patch: number;
}

export const MIN_AIRFLOW = { major: 2, minor: 7 } as const;
export const MAX_AIRFLOW_MAJOR = 3;

/**
 * The newest Airflow release afc knows: its facts (compiler/airflow/facts.ts)
 * and its configuration options were read from this release's packages, and
 * the runtime scenarios (test/runtime/scenarios/) run it. `afc init` starts
 * from it; a newer minor release is warned about (AFC2025), since what
 * changed in it is not known. Sources: docs/airflow-facts.md §14.
 */
export const NEWEST_KNOWN_AIRFLOW = '3.3.2';

export function parseAirflowVersion(raw: string): AirflowVersion | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(raw);
  if (!match) return undefined;
  return { raw, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function isSupported(v: AirflowVersion): boolean {
  return (v.major > MIN_AIRFLOW.major || (v.major === MIN_AIRFLOW.major && v.minor >= MIN_AIRFLOW.minor)) && v.major <= MAX_AIRFLOW_MAJOR;
}

/**
 * Whether `v` is of a minor release newer than the newest known one (3.4.0
 * when afc knows 3.3.2). A newer patch of a known minor (3.3.5) is not: the
 * minor's facts apply, patch releases keep the commands and configuration
 * (they may add an option: 3.2.2 added `[api] dag_cache_size`; see
 * `isNewerPatch`).
 */
export function isNewerThanKnown(v: AirflowVersion): boolean {
  const known = parseAirflowVersion(NEWEST_KNOWN_AIRFLOW) as AirflowVersion;
  return v.major > known.major || (v.major === known.major && v.minor > known.minor);
}

/**
 * Whether `v` is a later patch of the release `known` (`3.3.5` of `3.3.2`):
 * an option it adds is in no table afc has, so it is not known to be wrong.
 */
export function isNewerPatch(v: AirflowVersion, known: string): boolean {
  const k = parseAirflowVersion(known);
  return k !== undefined && v.major === k.major && v.minor === k.minor && v.patch > k.patch;
}
