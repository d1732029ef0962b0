import { uriComponent } from '../../compiler/airflow/settings.ts';

/**
 * Hides the run's secret values in what the harness reports (check details,
 * container log tails), as afc hides them in what a reviewer reads: each
 * value, and its URL-encoded form (a password inside a connection string),
 * becomes `<redacted>`. Values shorter than 6 characters are left alone:
 * they would blank out ordinary words.
 */
export class Redactor {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (value.length < 6) return;
    this.values.add(value);
    this.values.add(uriComponent(value));
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that a value containing another is hidden whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(value).join('<redacted>');
    return out;
  }
}
