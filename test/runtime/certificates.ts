import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './host/shell.ts';

/**
 * A certificate authority of the run's own, standing for Amazon's (RDS,
 * ElastiCache): every image trusts it (translation.ts), and the servers that
 * the output reaches over TLS present certificates it issued.
 */
export class RunCertificates {
  private constructor(
    /** Where its keys, certificates and files for the servers lie. */
    readonly dir: string,
    /** The CA certificate, PEM. */
    readonly ca: string,
  ) {}

  static async create(dir: string): Promise<RunCertificates> {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=afc runtime harness CA',
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      join(dir, 'ca.crt'),
    ]);
    return new RunCertificates(dir, readFileSync(join(dir, 'ca.crt'), 'utf8'));
  }

  /** A server certificate for `names`; returns the paths of its certificate and key (mode 0600). */
  async issue(id: string, names: readonly string[]): Promise<{ cert: string; key: string }> {
    const key = join(this.dir, `${id}.key`);
    const csr = join(this.dir, `${id}.csr`);
    const cert = join(this.dir, `${id}.crt`);
    const ext = join(this.dir, `${id}.ext`);
    await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${names[0]}`, '-keyout', key, '-out', csr]);
    await run('sh', ['-c', `printf 'subjectAltName=%s\\n' "$1" > "$2"`, 'sh', names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(','), ext]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(this.dir, 'ca.crt'),
      '-CAkey',
      join(this.dir, 'ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      cert,
    ]);
    return { cert, key };
  }
}
