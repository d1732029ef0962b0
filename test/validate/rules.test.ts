import { assert, describe, expect, it } from 'vitest';
import { check, MINIMAL } from '../support/spec.ts';

const airflow2 = MINIMAL.replace('"3.1.3"', '"2.10.5"').replace('  jwtSecret: { ssm: /analytics/jwt_secret }\n', '');

describe('spec rules', () => {
  it('keeps Airflow within 2.7 and 4', () => {
    expect(check(airflow2.replace('"2.10.5"', '"2.6.3"'))).toEqual([
      'error AFC2001@4:12 Airflow 2.6.3 is not supported: afc supports 2.7.0 and later, before 4 | use a 2.x release from 2.7 on, or a 3.x release',
    ]);
    expect(check(MINIMAL.replace('"3.1.3"', '"4.0.0"'))[0]).toContain('AFC2001');
    expect(check(airflow2)).toEqual([]);
  });

  it('warns (AFC2025) about a release newer than afc knows, at the version: a new minor is not checked, a new patch may add options', () => {
    expect(check(MINIMAL.replace('"3.1.3"', '"3.4.0"'))).toEqual([
      'warning AFC2025@4:12 afc knows Airflow up to 3.3.2; 3.4.0 is newer: its configuration is not checked | afc generates what 3.3.2 needs; check the release notes of 3.4, or use 3.3.2',
    ]);
    expect(check(MINIMAL.replace('"3.1.3"', '"3.3.5"'))).toEqual([
      "warning AFC2025@4:12 afc knows Airflow up to 3.3.2; 3.3.5 is a newer patch: an option it adds is unknown to afc | afc checks airflow.config against 3.3.2's options and reports one it does not know as a warning; or use 3.3.2",
    ]);
    expect(check(MINIMAL.replace('"3.1.3"', '"3.3.2"'))).toEqual([]);
    // An option 3.3.2 lacks is an error on 3.3.2, and only a warning on a later patch, which may have added it.
    const unknownOption = (version: string) =>
      check(MINIMAL.replace('"3.1.3"', `"${version}"\n  config: { api: { brand_new_option: "1" } }`)).filter((l) => l.includes('AFC2026'));
    expect(unknownOption('3.3.2')).toEqual([expect.stringMatching(/^error AFC2026@5:20 \[api\] brand_new_option is not an Airflow 3.3 option \|/)]);
    expect(unknownOption('3.3.5')).toEqual([
      expect.stringMatching(/^warning AFC2026@5:20 \[api\] brand_new_option is not an Airflow 3.3 option \(in 3.3.2; 3.3.5 may have added it\) \|/),
    ]);
    // 4.x is out of range (AFC2001), not merely newer.
    expect(check(MINIMAL.replace('"3.1.3"', '"4.0.0"')).map((l) => l.split(' ')[1])).toEqual(['AFC2001@4:12']);
  });

  it('ties the broker to CeleryExecutor', () => {
    expect(check(MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor'))[0]).toContain('error AFC2002@5:13 CeleryExecutor needs a broker');
    expect(check(`${MINIMAL}broker: { managed: {} }\n`)[0]).toContain('error AFC2003@9:1 a broker is only used by CeleryExecutor');
    expect(check(`${MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor')}broker: { managed: {} }\n`)).toEqual([]);
  });

  it('requires the shared keys, and the JWT secret on Airflow 3 only', () => {
    const bare = 'apiVersion: afc/v1\nname: a\nairflow: { version: "3.1.3" }\n';
    expect(check(bare).map((l) => l.split(' ')[1])).toEqual(['AFC2004@1:1', 'AFC2005@1:1', 'AFC2006@1:1']);
    expect(check(bare)[0]).toContain('in a new top-level `secrets:` section');
    expect(check(`${airflow2}  jwtSecret: { ssm: /x }\n`)).toEqual([
      'warning AFC2007@8:3 secrets.jwtSecret is not used by Airflow 2 | remove it, or keep it for the upgrade to Airflow 3',
    ]);
  });

  it('warns about every plain-text secret, and only those', () => {
    const spec = `${MINIMAL}connections:\n  db: { value: "postgres://u:p@h/d" }\n  aws: { uri: "aws://" }\nvariables:\n  a: { value: x }\n  b: plain\n`;
    expect(check(spec).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['warning AFC2008@10:9 connections.db', 'warning AFC2008@13:8 variables.a']);
  });

  it('rejects duplicate queues at the duplicate', () => {
    const spec = `${MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor')}broker: { managed: {} }\ncomponents:\n  workers: { queues: [default, etl, default] }\n`;
    expect(check(spec)).toEqual(['error AFC2009@12:37 queue "default" is listed twice (items 1 and 3) | remove the duplicate']);
  });

  it('rejects settings afc manages, and names that collide', () => {
    expect(check(MINIMAL.replace('"3.1.3"', '"3.1.3"\n  config:\n    core: { fernet_key: x }'))[0]).toContain(
      'error AFC2011@6:13 [core] fernet_key is set by afc from secrets.fernetKey',
    );
    // Every component must share the issuer (docs/airflow-facts.md §14): afc sets it from the spec's name.
    expect(check(MINIMAL.replace('"3.1.3"', '"3.1.3"\n  config:\n    api_auth: { jwt_issuer: x }'))[0]).toContain(
      "error AFC2011@6:17 [api_auth] jwt_issuer is set by afc from the spec's name (one issuer for every component) | remove it here: afc sets it for every component",
    );
    expect(check(MINIMAL.replace('"3.1.3"', '"3.1.3"\n  config:\n    core: { parallelism: 8 }\n  env:\n    AIRFLOW__CORE__PARALLELISM: "16"'))[0]).toContain(
      'AFC2012',
    );
    expect(check(`${MINIMAL}connections:\n  aws: { uri: "aws://" }\n  AWS: { uri: "aws://" }\n`)[0]).toContain(
      'error AFC2012@11:3 "AWS" and "aws" are both AIRFLOW_CONN_AWS',
    );
  });

  it('checks autoscaling bounds and the DAG processor on Airflow 3', () => {
    const celery = `${MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor')}broker: { managed: {} }\n`;
    expect(check(`${celery}components:\n  workers: { autoscaling: { min: 5, max: 2 } }\n`)[0]).toContain('error AFC2014');
    expect(check(`${MINIMAL}components:\n  dagProcessor: { replicas: 0 }\n`)[0]).toContain('error AFC2015');
    expect(check(`${airflow2}components:\n  dagProcessor: { replicas: 0 }\n`)).toEqual([]);
  });

  it('warns where Airflow 3 api-server replicas would each generate their own admin password', () => {
    const two = `${MINIMAL}components:\n  webserver: { replicas: 2 }\n`;
    expect(check(two)).toEqual([
      "warning AFC2023@10:26 2 api-server replicas without secrets.adminUser: Airflow 3's default auth manager generates a different admin password in each replica, so a login works on one replica only | set secrets.adminUser (one password for every replica), or run one replica",
    ]);
    // One password for all replicas, one replica, or Airflow 2 (no generated password): nothing to say.
    const admin = '  adminUser: { email: ops@acme.io, password: { ssm: /analytics/admin_password } }\n';
    expect(check(two.replace('components:', `${admin}components:`))).toEqual([]);
    expect(check(`${MINIMAL}components:\n  webserver: { replicas: 1 }\n`)).toEqual([]);
    expect(check(`${airflow2}components:\n  webserver: { replicas: 2 }\n`)).toEqual([]);
    // An overlay's replicas are reported on the overlay's line.
    const overlay = `${MINIMAL}environments:\n  prod:\n    components: { webserver: { replicas: 3 } }\n`;
    expect(check(overlay).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['warning AFC2023@11:42 3']);
  });

  it('needs an SSH key for an SSH git URL', () => {
    expect(check(`${MINIMAL}dags:\n  git: { repo: "git@github.com:acme/dags.git" }\n`)[0]).toContain(
      'error AFC2016@10:16 an SSH repository URL needs dags.git.sshKey',
    );
  });

  it('suggests the connection a remote log connId meant', () => {
    const spec = `${MINIMAL}connections:\n  aws_logs: { uri: "aws://" }\nlogging:\n  remote: { s3: "s3://acme-logs/x", connId: aws_log }\n`;
    expect(check(spec)).toEqual([
      'warning AFC2017@12:45 logging.remote uses connection "aws_log", which `connections` does not define | did you mean "aws_logs"?',
    ]);
  });

  it('completes RFC 6902 operations', () => {
    const spec = `${MINIMAL}overrides:\n  ecs:\n    - file: stack.yaml\n      patch: [{ op: add, path: /Resources/X }]\n`;
    expect(check(spec)).toEqual(['error AFC2018@12:21 the "add" operation needs `value` | add `value: ...` to the operation']);
  });

  it('limits derived names in one diagnostic with the tightest bound: a warning without a target', () => {
    const long = MINIMAL.replace('name: analytics', `name: ${'a'.repeat(30)}`);
    const found = check(long);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^warning AFC2010@2:7 name "a{30}" is too long for target ecs: Application Load Balancer "a{30}-alb" \(34 > 32\), ALB target group .* \| use a name of at most 28 characters$/,
    );
  });

  it('warns about moved configuration on the version that moved it', () => {
    expect(check(MINIMAL.replace('"3.1.3"', '"3.1.3"\n  config:\n    webserver: { base_url: "https://x" }'))[0]).toContain(
      'warning AFC2031@6:18 [webserver] base_url is deprecated since Airflow 3.0: it is now [api] base_url | set airflow.config.api.base_url instead',
    );
    expect(check(airflow2.replace('"2.10.5"', '"2.10.5"\n  config:\n    webserver: { base_url: "https://x" }'))).toEqual([]);
  });

  it('warns when an official image tag disagrees with the version', () => {
    expect(check(MINIMAL.replace('"3.1.3"', '"3.1.3"\n  image: { tag: "2.10.5-python3.12" }'))[0]).toContain('warning AFC2019');
  });
});

describe('environments', () => {
  const base = `${MINIMAL}components:\n  scheduler: { replicas: 1 }\nenvironments:\n  prod:\n    components:\n      scheduler: { replicas: 0 }\n  dev:\n    secrets:\n      fernetKey: { env: FERNET }\n`;

  it('checks each overlay merged over the base, at the overlay line', () => {
    expect(check(base)).toEqual([
      'error AFC1006@14:30 environment "prod": components.scheduler.replicas must be >= 1, found 0 | Number of instances (Airflow supports several schedulers).',
    ]);
  });

  it('checks only the environment asked for', () => {
    expect(check(base, { environment: 'dev' })).toEqual([]);
    expect(() => check(base, { environment: 'stage' })).toThrow('unknown environment "stage"');
  });

  it("reports a key only an overlay adds at the overlay's line", () => {
    const typo = `${MINIMAL}environments:\n  prod:\n    components:\n      schedular: { replicas: 2 }\n`;
    expect(check(typo).map((d) => d.split(' ').slice(0, 2).join(' '))).toEqual(['error AFC1001@12:7']);
    const broker = `${MINIMAL}environments:\n  prod:\n    broker: { managed: {} }\n`;
    expect(check(broker).map((d) => d.split(' ').slice(0, 2).join(' '))).toEqual(['error AFC2003@11:5']);
  });

  it('expands as many aliases in an overlaid spec as in the base', () => {
    const anchors = Array.from({ length: 150 }, (_, i) => `  v${i}: *val`).join('\n');
    const spec = `${MINIMAL}variables:\n  base: &val shared\n${anchors}\nenvironments:\n  prod:\n    variables: { env_name: prod }\n`;
    expect(check(spec)).toEqual([]);
  });

  it('replaces "exactly one of" mappings instead of merging them', () => {
    const spec = `${MINIMAL}dags: { path: ./dags }\nenvironments:\n  prod:\n    dags: { s3: { bucket: acme-dags } }\n`;
    expect(check(spec)).toEqual([]);
  });
});

describe('secret files and overlays of a chosen branch', () => {
  it('warns about a file reference that does not exist', () => {
    const spec = MINIMAL.replace('fernetKey: { ssm: /analytics/fernet_key }', 'fernetKey: { file: ./no-such-file }');
    expect(check(spec)).toEqual([
      'warning AFC2021@6:22 secrets.fernetKey names ./no-such-file, which does not exist (relative to the spec) | create it before building, or fix the path',
    ]);
  });

  it('warns, without reading it, about a file outside the spec folder or under /proc (afc build refuses those)', () => {
    const outside = (path: string) => check(MINIMAL.replace('fernetKey: { ssm: /analytics/fernet_key }', `fernetKey: { file: ${path} }`));
    for (const path of ['../../x', '/proc/self/environ', '/dev/zero'])
      expect(outside(path), path).toEqual([
        `warning AFC2040@6:22 secrets.fernetKey names ${path}, outside the spec's folder: afc build reads it only from a folder that --secret-files-from names, and never under /proc, /sys or /dev | keep secret files beside the spec`,
      ]);
  });

  it('merges an overlay into the same branch of an "exactly one of" mapping', async () => {
    const { loadSpec } = await import('../../compiler/load/load-spec.ts');
    const { applyEnvironment } = await import('../../compiler/load/apply-environment.ts');
    const spec = `${MINIMAL}database:\n  managed: { storageGb: 50, instanceClass: db.t4g.small }\nenvironments:\n  prod:\n    database: { managed: { instanceClass: db.r6g.large } }\n  ext:\n    database: { external: { host: db, user: u, password: { ssm: /p } } }\n`;
    const result = loadSpec('spec.yaml', Buffer.from(spec));
    assert(result.ok);
    const loaded = result.spec;
    expect(applyEnvironment(loaded, 'prod').data.database).toEqual({ managed: { storageGb: 50, instanceClass: 'db.r6g.large' } });
    expect(applyEnvironment(loaded, 'ext').data.database).toEqual({ external: { host: 'db', user: 'u', password: { ssm: '/p' } } });
  });
});
