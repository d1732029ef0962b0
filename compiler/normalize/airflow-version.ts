/** An Airflow release number and the facts afc derives from it. */
export interface AirflowVersion {
  raw: string;
  major: number;
  minor: number;
  patch: number;
}

export const MIN_AIRFLOW = { major: 2, minor: 7 } as const;
export const MAX_AIRFLOW_MAJOR = 3;

export function parseAirflowVersion(raw: string): AirflowVersion | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(raw);
  if (!match) return undefined;
  return { raw, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function isSupported(v: AirflowVersion): boolean {
  return (v.major > MIN_AIRFLOW.major || (v.major === MIN_AIRFLOW.major && v.minor >= MIN_AIRFLOW.minor)) && v.major <= MAX_AIRFLOW_MAJOR;
}
