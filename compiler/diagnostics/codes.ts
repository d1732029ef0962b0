/**
 * Every diagnostic code the compiler emits, with a short title. Codes are part of the
 * user contract (people grep for them, CI filters on them): never renumber.
 *
 * AFC0xxx loading, AFC1xxx schema, AFC2xxx spec rules, AFC4xxx secrets,
 * AFC5xxx overrides. AFC3xxx are the targets' own: each declares its codes in
 * its manifest (`targets/<name>/manifest.ts`), retired ones included.
 * Codes whose `exit` is 2 are environment problems (a file that cannot be
 * read), not mistakes in the spec.
 */
export const CODES = {
  AFC0001: { title: 'file cannot be read', exit: 2 },
  AFC0101: { title: 'file is not UTF-8 text', exit: 1 },
  AFC0102: { title: 'file is empty', exit: 1 },
  AFC0103: { title: 'YAML syntax error', exit: 1 },
  AFC0104: { title: 'duplicate key', exit: 1 },
  AFC0105: { title: 'too many alias expansions', exit: 1 },
  AFC0106: { title: 'top level is not a mapping', exit: 1 },
  AFC0107: { title: 'more than one YAML document', exit: 1 },
  AFC0108: { title: 'unsupported YAML tag', exit: 1 },
  AFC0109: { title: 'file too large', exit: 1 },
  AFC0110: { title: 'nesting too deep', exit: 1 },
  AFC0111: { title: 'integer too large to read exactly', exit: 1 },

  AFC1001: { title: 'unknown key', exit: 1 },
  AFC1002: { title: 'missing required key', exit: 1 },
  AFC1003: { title: 'wrong type', exit: 1 },
  AFC1004: { title: 'value not allowed', exit: 1 },
  AFC1005: { title: 'value does not match the expected form', exit: 1 },
  AFC1006: { title: 'number out of range', exit: 1 },
  AFC1007: { title: 'wrong length', exit: 1 },
  AFC1008: { title: 'exactly one of several keys expected', exit: 1 },
  AFC1009: { title: 'duplicate list item', exit: 1 },
  AFC1010: { title: 'invalid key name', exit: 1 },
  AFC1099: { title: 'schema violation', exit: 1 },

  AFC2001: { title: 'unsupported Airflow version', exit: 1 },
  AFC2002: { title: 'CeleryExecutor needs a broker', exit: 1 },
  AFC2003: { title: 'broker without CeleryExecutor', exit: 1 },
  AFC2004: { title: 'fernet key missing', exit: 1 },
  AFC2005: { title: 'API secret key missing', exit: 1 },
  AFC2006: { title: 'JWT secret missing', exit: 1 },
  AFC2007: { title: 'JWT secret unused on Airflow 2', exit: 1 },
  AFC2008: { title: 'secret in plain text', exit: 1 },
  AFC2009: { title: 'duplicate queue', exit: 1 },
  AFC2010: { title: 'derived resource name too long', exit: 1 },
  AFC2011: { title: 'setting managed by afc', exit: 1 },
  AFC2012: { title: 'names collide', exit: 1 },
  AFC2013: { title: 'setting ignored by this executor', exit: 1 },
  AFC2014: { title: 'autoscaling bounds', exit: 1 },
  AFC2015: { title: 'DAG processor required', exit: 1 },
  AFC2016: { title: 'git credentials', exit: 1 },
  AFC2017: { title: 'unknown connection', exit: 1 },
  AFC2018: { title: 'incomplete patch operation', exit: 1 },
  AFC2019: { title: 'image tag does not match the Airflow version', exit: 1 },
  AFC2020: { title: 'renamed configuration section', exit: 1 },
  AFC2021: { title: 'secret file not found', exit: 1 },
  AFC2022: { title: 'target cannot run this executor or DAG source', exit: 1 },
  AFC2023: { title: 'api-server replicas with generated admin passwords', exit: 1 },
  AFC2024: { title: 'memory too small for the task slots', exit: 1 },
  AFC2025: { title: 'Airflow version newer than afc knows', exit: 1 },
  AFC2026: { title: 'unknown configuration option', exit: 1 },
  AFC2027: { title: 'configuration option not in this Airflow version', exit: 1 },
  AFC2028: { title: 'unknown configuration section', exit: 1 },
  AFC2029: { title: 'configuration section afc cannot check', exit: 1 },
  AFC2030: { title: 'configuration option moved', exit: 1 },
  AFC2031: { title: 'deprecated configuration option', exit: 1 },
  AFC2032: { title: 'configuration value of the wrong type', exit: 1 },
  AFC2033: { title: 'configuration value not allowed', exit: 1 },
  AFC2034: { title: 'secret configuration option in plain text', exit: 1 },
  AFC2040: { title: 'secret file outside the spec folder', exit: 1 },

  AFC4001: { title: 'environment variable not set', exit: 2 },
  AFC4002: { title: 'secret file cannot be read', exit: 2 },
  AFC4003: { title: 'secret file refused', exit: 2 },
  AFC4004: { title: 'SSM cannot be read', exit: 2 },
  AFC4005: { title: 'SSM parameters not found', exit: 2 },
  AFC4006: { title: 'SSM name is not a valid key', exit: 1 },
  AFC4007: { title: 'secret needs the network', exit: 2 },
  AFC4010: { title: 'secret value in a non-secret file', exit: 1 },
  AFC4011: { title: 'secret value the target cannot carry', exit: 1 },

  AFC5001: { title: 'override patch failed', exit: 1 },
} as const satisfies Record<string, { title: string; exit: 1 | 2 }>;

export type Code = keyof typeof CODES;
