import { describe, expect, it } from 'vitest';
import { airflowSettings, plainValue, publicUiUrl } from '../../compiler/airflow/settings.ts';
import { MINIMAL, modelOf } from '../support/spec.ts';

const settingsOf = (text: string, scheme: 'http' | 'https', port?: number) => {
  const model = modelOf(text);
  return Object.fromEntries(
    airflowSettings(model, { apiServer: 'http://airflow-apiserver:8080', ...publicUiUrl(model, scheme, port) }).map((s) => [s.name, plainValue(s)]),
  );
};
const HOST = `${MINIMAL}network: { hostname: airflow.acme.io }\n`;

describe("Airflow's base_url from network.hostname", () => {
  it('is [api] base_url on Airflow 3: scheme and host, no path (the path would move the UI), the port unless the scheme has it', () => {
    expect(settingsOf(HOST, 'https').AIRFLOW__API__BASE_URL).toBe('https://airflow.acme.io');
    expect(settingsOf(HOST, 'http', 8080).AIRFLOW__API__BASE_URL).toBe('http://airflow.acme.io:8080');
    expect(settingsOf(HOST, 'http', 80).AIRFLOW__API__BASE_URL).toBe('http://airflow.acme.io');
    expect(settingsOf(HOST, 'https', 443).AIRFLOW__API__BASE_URL).toBe('https://airflow.acme.io');
  });

  it('leaves the execution API URL on the in-network address afc sets itself', () => {
    expect(settingsOf(HOST, 'https').AIRFLOW__CORE__EXECUTION_API_SERVER_URL).toBe('http://airflow-apiserver:8080/execution/');
  });

  it('is [webserver] base_url on Airflow 2', () => {
    const settings = settingsOf(HOST.replace('"3.1.3"', '"2.11.0"').replace(/ {2}jwtSecret: .*\n/, ''), 'https');
    expect(settings.AIRFLOW__WEBSERVER__BASE_URL).toBe('https://airflow.acme.io');
    expect(settings.AIRFLOW__API__BASE_URL).toBeUndefined();
  });

  it('is not set without network.hostname, and a base_url of the spec wins', () => {
    expect(settingsOf(MINIMAL, 'https').AIRFLOW__API__BASE_URL).toBeUndefined();
    const own = HOST.replace('airflow:\n', 'airflow:\n  config: { api: { base_url: "https://acme.io/airflow" } }\n');
    const settings = airflowSettings(modelOf(own), { ...publicUiUrl(modelOf(own), 'https') }).filter((s) => s.name === 'AIRFLOW__API__BASE_URL');
    expect(settings.map(plainValue)).toEqual(['https://acme.io/airflow']);
  });
});
