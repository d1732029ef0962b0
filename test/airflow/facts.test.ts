import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { airflowFacts } from '../../compiler/airflow/facts.ts';
import { airflowSettings, plainValue } from '../../compiler/airflow/settings.ts';
import { starterSpec } from '../../compiler/cli/commands/init.ts';
import { isNewerThanKnown, NEWEST_KNOWN_AIRFLOW, parseAirflowVersion } from '../../compiler/normalize/airflow-version.ts';
import { REPO } from '../support/cli.ts';
import { MINIMAL, modelOf } from '../support/spec.ts';

const version = (raw: string) => parseAirflowVersion(raw) ?? expect.fail(`not a version: ${raw}`);
const factsOf = (raw: string) => airflowFacts(version(raw), { dagProcessorReplicas: 0, adminUser: false });
const issuerOf = (text: string) =>
  airflowSettings(modelOf(text), { apiServer: 'http://airflow-apiserver:8080' })
    .filter((s) => s.name === 'AIRFLOW__API_AUTH__JWT_ISSUER')
    .map(plainValue);

describe('[api_auth] jwt_issuer (docs/airflow-facts.md §14)', () => {
  it('is set on every Airflow 3 minor, where every signer and validator reads it, and never on Airflow 2', () => {
    for (const raw of ['3.0.6', '3.1.8', '3.2.2', '3.3.2']) expect(factsOf(raw).jwtIssuerEnv, raw).toBe('AIRFLOW__API_AUTH__JWT_ISSUER');
    expect(factsOf('2.11.2').jwtIssuerEnv).toBeUndefined();
  });

  it("is the spec's name, one setting for every process (a plain value: no secret)", () => {
    expect(issuerOf(MINIMAL)).toEqual(['analytics']);
    expect(issuerOf(MINIMAL.replace('"3.1.3"', '"3.3.2"').replace('name: analytics', 'name: data-platform'))).toEqual(['data-platform']);
    const airflow2 = MINIMAL.replace('"3.1.3"', '"2.11.2"').replace(/ {2}jwtSecret: .*\n/, '');
    expect(issuerOf(airflow2)).toEqual([]);
    const issuer = airflowSettings(modelOf(MINIMAL), {}).find((s) => s.name === 'AIRFLOW__API_AUTH__JWT_ISSUER');
    expect(issuer?.scope).toBeUndefined();
  });
});

describe('[api_auth] jwt_audience, which the UI token signer reads elsewhere before 3.3 (docs/airflow-facts.md §14c)', () => {
  const audienceSettings = (text: string) =>
    Object.fromEntries(
      airflowSettings(modelOf(text), {})
        .filter((s) => s.name.endsWith('__JWT_AUDIENCE'))
        .map((s) => [s.name, plainValue(s)]),
    );
  const withAudience = (raw: string, config: string) => MINIMAL.replace('"3.1.3"', `"${raw}"\n  config:\n${config}`);

  it('is the fact of 3.0, 3.1 and 3.2, not of 3.3 or Airflow 2', () => {
    for (const raw of ['3.0.6', '3.1.8', '3.2.2']) expect(factsOf(raw).tokenSignerAudienceEnv, raw).toBe('AIRFLOW__API__JWT_AUDIENCE');
    for (const raw of ['3.3.2', '2.11.2']) expect(factsOf(raw).tokenSignerAudienceEnv, raw).toBeUndefined();
  });

  it("gives the spec's audience to the signer too before 3.3, and leaves a spec that sets both alone", () => {
    const spec = '    api_auth: { jwt_audience: acme-airflow }';
    expect(audienceSettings(withAudience('3.1.8', spec))).toEqual({
      AIRFLOW__API_AUTH__JWT_AUDIENCE: 'acme-airflow',
      AIRFLOW__API__JWT_AUDIENCE: 'acme-airflow',
    });
    expect(audienceSettings(withAudience('3.3.2', spec))).toEqual({ AIRFLOW__API_AUTH__JWT_AUDIENCE: 'acme-airflow' });
    expect(audienceSettings(withAudience('3.2.2', `${spec}\n    api: { jwt_audience: own }`))).toEqual({
      AIRFLOW__API_AUTH__JWT_AUDIENCE: 'acme-airflow',
      AIRFLOW__API__JWT_AUDIENCE: 'own',
    });
    expect(audienceSettings(MINIMAL)).toEqual({});
  });

  it('keeps an audience from a secret store a secret', () => {
    const spec = withAudience('3.1.8', '    api_auth: { jwt_audience: { ssm: /analytics/audience } }');
    const signer = airflowSettings(modelOf(spec), {}).find((s) => s.name === 'AIRFLOW__API__JWT_AUDIENCE');
    expect(signer?.parts).toEqual([{ secret: { ssm: '/analytics/audience' } }]);
    expect(signer?.scope).toBe('environment');
  });
});

describe('the newest Airflow release afc knows', () => {
  it('is newer only from the next minor on: a newer patch of a known minor keeps its facts', () => {
    expect(NEWEST_KNOWN_AIRFLOW).toBe('3.3.2');
    expect(isNewerThanKnown(version('3.4.0'))).toBe(true);
    expect(isNewerThanKnown(version('4.0.0'))).toBe(true);
    expect(isNewerThanKnown(version('3.3.5'))).toBe(false);
    expect(isNewerThanKnown(version('3.3.2'))).toBe(false);
    expect(isNewerThanKnown(version('2.11.2'))).toBe(false);
  });

  it('is what `afc init` starts from, the schema shows and the runtime harness has installed', () => {
    expect(starterSpec('analytics', 'schema.json')).toContain(`version: "${NEWEST_KNOWN_AIRFLOW}"`);
    const schema = JSON.parse(readFileSync(join(REPO, 'schema/airflow.schema.json'), 'utf8'));
    const versionField = schema.definitions.airflow.properties.version;
    expect(versionField.examples[0]).toBe(NEWEST_KNOWN_AIRFLOW);
    expect(versionField.description).toContain(`up to ${NEWEST_KNOWN_AIRFLOW}`);
    expect(readFileSync(join(REPO, `test/runtime/requirements/airflow-${NEWEST_KNOWN_AIRFLOW}.txt`), 'utf8')).toContain(
      `apache-airflow==${NEWEST_KNOWN_AIRFLOW}`,
    );
  });

  it('is the version of every example on Airflow 3', () => {
    for (const example of ['local', 'ecs-celery', 'eks-celery', 'eks-rds']) {
      const text = readFileSync(join(REPO, 'examples', example, 'airflow.yaml'), 'utf8');
      expect(/^ {2}version: "([^"]+)"/m.exec(text)?.[1], example).toBe(NEWEST_KNOWN_AIRFLOW);
    }
  });
});
