import { describe, expect, it } from 'vitest';
import { check, MINIMAL } from '../support/spec.ts';

describe('schema diagnostics', () => {
  it('accepts the minimal spec', () => {
    expect(check(MINIMAL)).toEqual([]);
  });

  it('takes a database host that is a host name or an address, nothing that could break the output it goes into', () => {
    const spec = (host: string) => `${MINIMAL}database:\n  external: { host: ${JSON.stringify(host)}, user: u, password: { ssm: /p } }\n`;
    for (const host of ['db.example.com', 'db-1.internal.', '10.0.0.5', '[::1]', 'localhost']) expect(check(spec(host)), host).toEqual([]);
    for (const host of ['db"x\\y.example.com', 'db\nx', 'db x', '$(id)', '-db', 'db..example.com']) {
      expect(
        check(spec(host)).map((d) => d.split('@')[0]),
        host,
      ).toEqual(['error AFC1005']);
    }
  });

  it('suggests the key meant by a typo, at the key', () => {
    expect(check(`${MINIMAL}components:\n  webserver:\n    replica: 2\n`)).toEqual([
      'error AFC1001@11:5 unknown key "replica" in components.webserver | did you mean "replicas"?',
    ]);
  });

  it('lists allowed keys when nothing is close', () => {
    expect(check(`${MINIMAL}logging:\n  zzz: 1\n`)[0]).toContain('allowed keys: remote, retentionDays, level');
  });

  it('suggests the enum value meant', () => {
    expect(check(MINIMAL.replace('version: "3.1.3"', 'version: "3.1.3"\n  executor: KubernetesExecuter'))).toEqual([
      'error AFC1004@5:13 airflow.executor must be one of LocalExecutor, CeleryExecutor, KubernetesExecutor; found "KubernetesExecuter" | did you mean "KubernetesExecutor"?',
    ]);
  });

  it('reports a missing key at its parent, once for several', () => {
    expect(check('apiVersion: afc/v1\nairflow: {}\n')).toEqual([
      'error AFC1002@1:1 missing required key "name" at the top level | Name of the deployment: a lowercase DNS label of 1 to 40 characters. Every generated resource name starts with it. For example: name: "analytics"',
      'error AFC1002@2:1 missing required key "version" in airflow | Airflow version, `MAJOR.MINOR.PATCH`, from 2.7.0 up to (not including) 4. Decides the commands and configuration sections afc generates. afc knows releases up to 3.3.2; a newer minor release is warned about (AFC2025). For example: version: "3.3.2"',
    ]);
  });

  it('asks to quote a version YAML read as a number, showing the source text', () => {
    expect(check(MINIMAL.replace('"3.1.3"', '3.10'))).toEqual([
      'error AFC1003@4:12 airflow.version must be a string, found the number 3.1 | quote it, and write it in full, like "3.3.2": YAML reads 3.10 as the number 3.1',
    ]);
  });

  it('gives one message for a value that fits no branch of "scalar or secret"', () => {
    expect(check(`${MINIMAL}variables:\n  a: [1, 2]\n`)).toEqual([
      'error AFC1003@10:6 variables.a must be a string, a number, true or false or a secret reference ({ ssm | env | file | value: … }), found a list',
    ]);
  });

  it('checks a secret reference inside "scalar or secret" as a secret reference', () => {
    expect(check(`${MINIMAL}variables:\n  a: { sm: /x }\n`)).toEqual(['error AFC1001@10:8 unknown key "sm" in variables.a | did you mean "ssm"?']);
  });

  it('requires exactly one DAG source, pointing at the second', () => {
    expect(check(`${MINIMAL}dags: { path: ./dags, s3: { bucket: acme-dags } }\n`)).toEqual([
      'error AFC1008@9:23 dags must have exactly one of image, path, git, s3; found path and s3 | keep one of path, s3',
    ]);
  });

  it('suggests a valid key name', () => {
    expect(check(`${MINIMAL}connections:\n  my-db: { uri: "postgres://h/db" }\n`)).toEqual([
      'error AFC1010@10:3 invalid key "my-db" in connections: keys must match ^[A-Za-z][A-Za-z0-9_]*$ | did you mean "my_db"?',
    ]);
  });

  it('reports a duplicate list item at the duplicate', () => {
    const spec = `${MINIMAL}targets:\n  ecs: { vpcId: vpc-0a1b2c3d, subnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3d], publicSubnetIds: [subnet-1a2b3c4d, subnet-2a3b4c5d] }\n`;
    expect(check(spec)).toEqual(['error AFC1009@10:60 duplicate item "subnet-0a1b2c3d" in targets.ecs.subnetIds (same as item 1) | remove the duplicate']);
  });

  it('suggests the lowercase form of a name', () => {
    expect(check(MINIMAL.replace('name: analytics', 'name: Analytics'))[0]).toContain('did you mean "analytics"?');
  });
});
