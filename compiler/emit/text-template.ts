import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../package-root.ts';
import { PRECOMPILED } from './precompiled-templates.ts';
import { shellWord } from './shell.ts';

/**
 * Handlebars for text that is really text (shell scripts, systemd units,
 * README pages). Nothing is escaped implicitly (`noEscape`): a value goes
 * into a script only through the helper that fits where it lands, so a
 * template reads as the file it makes. `strict` turns a misspelt variable
 * into an error instead of an empty string.
 */
const handlebars = Handlebars.create();
/** The options every template compiles with; scripts/build.mjs precompiles with the same. */
const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;
handlebars.registerHelper('sh', (value: unknown) => shellWord(String(value)));
// Inline code in Markdown: a backtick inside needs a longer fence.
handlebars.registerHelper('code', (value: unknown) => {
  const text = String(value);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  if (longest === 0) return `\`${text}\``;
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
});

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** A template file's compiled form: precompiled in the CLI bundle, compiled once per process from source. */
function load(file: string): HandlebarsTemplateDelegate {
  let template = compiled.get(file);
  if (!template) {
    const spec = PRECOMPILED[relative(packageRoot(), file).split(sep).join('/')];
    template = spec ? handlebars.template(spec) : handlebars.compile(readFileSync(file, 'utf8'), TEMPLATE_OPTIONS);
    compiled.set(file, template);
  }
  return template;
}

/** Makes a template file usable as `{{> name}}` in others. */
export function registerPartial(name: string, file: string): void {
  handlebars.registerPartial(name, load(file));
}

/** Renders a template file. */
export function renderTemplate(file: string, data: object): string {
  return load(file)(data);
}
