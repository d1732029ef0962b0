import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { shellWord } from './shell.ts';

/**
 * Handlebars for text that is really text (shell scripts, systemd units,
 * README pages). Nothing is escaped implicitly (`noEscape`): a value goes
 * into a script only through the helper that fits where it lands, so a
 * template reads as the file it makes. `strict` turns a misspelt variable
 * into an error instead of an empty string.
 */
const handlebars = Handlebars.create();
handlebars.registerHelper('sh', (value: unknown) => shellWord(String(value)));
handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));
// Inline code in Markdown: a backtick inside needs a longer fence.
handlebars.registerHelper('code', (value: unknown) => {
  const text = String(value);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  if (longest === 0) return `\`${text}\``;
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
});

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Makes a template file usable as `{{> name}}` in others. */
export function registerPartial(name: string, file: string | URL): void {
  handlebars.registerPartial(name, readFileSync(file, 'utf8'));
}

/** Renders a template file (a path or file URL), compiled once per process. */
export function renderTemplate(file: string | URL, data: object): string {
  const key = String(file);
  let template = compiled.get(key);
  if (!template) {
    template = handlebars.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    compiled.set(key, template);
  }
  return template(data);
}
