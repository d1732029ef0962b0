/** A file afc writes: its path in the output folder, its bytes as text, and whether it holds secret values. */
export interface OutputFile {
  /** Relative, with forward slashes. */
  path: string;
  content: string;
  /** Written 0600, git-ignored, never shown by diff. */
  secret: boolean;
}

export const MANIFEST = '.afc-manifest';
export const GITIGNORE = '.gitignore';

/** A path afc may write: relative, inside the folder, not one of afc's own bookkeeping files. */
export function checkOutputPath(path: string): string | undefined {
  if (path === '' || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'must be a relative path';
  if (path.split('/').some((part) => part === '..' || part === '.' || part === '')) return 'must stay inside the output folder';
  if (path === MANIFEST) return `${MANIFEST} is afc's own file`;
  return undefined;
}

/**
 * The files of a build plus afc's bookkeeping: the manifest (every file afc
 * owns, so a rebuild prunes what it no longer writes) and a .gitignore naming
 * the secret files.
 */
export function withBookkeeping(files: readonly OutputFile[], header: string): OutputFile[] {
  const secrets = files
    .filter((f) => f.secret)
    .map((f) => f.path)
    .sort();
  const all = [...files];
  if (!files.some((f) => f.path === GITIGNORE)) {
    const lines = [`# ${header}`, '# Files holding secret values: never commit them.', ...secrets.map((p) => `/${p}`)];
    all.push({ path: GITIGNORE, content: `${lines.join('\n')}\n`, secret: false });
  }
  const owned = [...all.map((f) => f.path), MANIFEST].sort();
  all.push({
    path: MANIFEST,
    content: `# ${header}\n# Files afc owns in this folder; a rebuild removes those it no longer writes.\n${owned.join('\n')}\n`,
    secret: false,
  });
  return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function parseManifest(text: string): string[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#'));
}
