import type { AirflowSecret } from '../airflow/components.ts';

/** One variable (or file) of a process that carries a secret, named as the platform names it; never a value. */
export interface WiredSecret {
  /** The variable (or file) the process reads. */
  name: string;
  /** Which secret of the spec it carries. */
  what: AirflowSecret;
  /** Where the platform takes it from: an env file, a Secret key, an SSM parameter, or the reviewable file for a plain value. */
  from: string;
}

/** The secrets one process gets, as a target wired them. */
export interface ComponentSecrets {
  /** The process as the platform names it: a compose service, a container of a Deployment, an ECS container. */
  component: string;
  secrets: WiredSecret[];
}

/** What each kind of secret is, by the spec field it comes from. */
export const SECRET_TITLES: Record<AirflowSecret, string> = {
  fernetKey: 'fernet key (`secrets.fernetKey`)',
  apiSecretKey: 'API secret key (`secrets.apiSecretKey`)',
  jwtSecret: 'JWT signing secret (`secrets.jwtSecret`)',
  database: 'metadata database URL and password (`database`)',
  broker: 'Celery broker URL (`broker`)',
  adminPassword: 'admin password (`secrets.adminUser.password`)',
  connections: 'a connection (`connections`)',
  variables: 'a variable (`variables`)',
  environment: 'an `airflow.env` entry from a secret store',
};

/** Markdown text: backquoted, with a backquote in the text made harmless. */
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/**
 * The "Secrets by component" section of an output folder's README: one
 * table row per variable a process gets, sorted by process then name. Each
 * target feeds it with what it actually wired (test/targets/secrets-by-component.test.ts
 * reads the generated output back and compares it with this section and the catalogue).
 */
export function secretsByComponentSection(rows: readonly ComponentSecrets[]): string {
  const lines = [
    '## Secrets by component',
    '',
    'Each process gets only the secrets it reads (docs/airflow-facts.md §7f in afc):',
    'the JWT signing secret only the processes that sign or verify tokens, the',
    'admin password only the step that creates the user. A process not listed',
    'gets none.',
    '',
    '| component | variable | secret | from |',
    '|---|---|---|---|',
  ];
  const sorted = [...rows].sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
  for (const row of sorted) {
    const secrets = [...row.secrets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const s of secrets) lines.push(`| ${code(row.component)} | ${code(s.name)} | ${SECRET_TITLES[s.what]} | ${code(s.from)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The rows of a README's section back as data: process → variable → where from (what the tests compare with the output). */
export function parseSecretsByComponent(readme: string): Map<string, Map<string, string>> {
  const start = readme.indexOf('## Secrets by component');
  if (start < 0) throw new Error('no "Secrets by component" section');
  const result = new Map<string, Map<string, string>>();
  for (const line of readme.slice(start).split('\n')) {
    const m = /^\| `([^`]*)` \| `([^`]*)` \| [^|]* \| `([^`]*)` \|$/.exec(line);
    if (!m) continue;
    const [, component, name, from] = m;
    if (!result.has(component!)) result.set(component!, new Map());
    result.get(component!)!.set(name!, from!);
  }
  return result;
}

/** The README every output folder has. */
export const README_FILE = 'README.md';

/** A README for an output folder: a title, what the folder is, then the secrets by component. */
export function outputReadme(title: string, paragraphs: readonly string[], rows: readonly ComponentSecrets[]): string {
  return `# ${title}\n\n${paragraphs.map((p) => `${p}\n\n`).join('')}${secretsByComponentSection(rows)}`;
}
