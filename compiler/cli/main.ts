import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { AFC_VERSION } from '../version.ts';
import { UsageError } from './usage-error.ts';

/** A command: its one-line summary, and a loader so that only the command that runs is imported. */
export interface CommandModule {
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  validate: { summary: 'check specs against the schema and the rules (offline, fast)', load: () => import('./commands/validate.ts') },
  build: { summary: 'render a target into its output folder (or --check it is current)', load: () => import('./commands/build.ts') },
  diff: { summary: 'show what a build would change in the output folder', load: () => import('./commands/diff.ts') },
  smoke: { summary: 'check a running deployment: health, login, a DAG run, a task log', load: () => import('./commands/smoke.ts') },
  explain: { summary: "what Airflow's tables say about a configuration option, for a version", load: () => import('./commands/explain.ts') },
  init: { summary: 'write a commented starter airflow.yaml', load: () => import('./commands/init.ts') },
  schema: { summary: "print the spec's JSON Schema", load: () => import('./commands/schema.ts') },
  targets: { summary: 'list the available targets', load: () => import('./commands/targets.ts') },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `afc ${AFC_VERSION}: compile one airflow.yaml into deployable Airflow artifacts

Usage: afc <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     show help (also \`afc <command> --help\`)
  -v, --version  print the version

Exit codes: 0 ok, 1 invalid spec, 2 usage or environment error.
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    process.stdout.write(`${AFC_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const guess = didYouMean(name, Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${name}"`, guess ? `did you mean \`afc ${guess}\`?` : 'run `afc --help` for the list of commands');
  }
  const module = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(module.usage);
    return 0;
  }
  return module.run(rest);
}

// `afc validate … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`afc: error: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    } else {
      // A bug in afc, not a mistake of the user's: say so, with the trace needed to report it.
      process.stderr.write(`afc: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`);
    }
    process.exitCode = 2;
  },
);
