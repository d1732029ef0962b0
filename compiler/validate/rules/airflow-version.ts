import { isNewerPatch, isNewerThanKnown, isSupported, NEWEST_KNOWN_AIRFLOW, parseAirflowVersion } from '../../normalize/airflow-version.ts';
import type { Rule } from '../rule-context.ts';

/** afc generates commands and config for Airflow 2.7 up to 3.x only. */
export const airflowVersionInRange: Rule = ({ spec, report }) => {
  const version = parseAirflowVersion(spec.airflow.version);
  if (version && !isSupported(version)) {
    report(
      'error',
      'AFC2001',
      ['airflow', 'version'],
      `Airflow ${version.raw} is not supported: afc supports 2.7.0 and later, before 4`,
      'use a 2.x release from 2.7 on, or a 3.x release',
      'value',
    );
  } else if (version && isNewerThanKnown(version)) {
    report(
      'warning',
      'AFC2025',
      ['airflow', 'version'],
      `afc knows Airflow up to ${NEWEST_KNOWN_AIRFLOW}; ${version.raw} is newer: its configuration is not checked`,
      `afc generates what ${NEWEST_KNOWN_AIRFLOW} needs; check the release notes of ${version.major}.${version.minor}, or use ${NEWEST_KNOWN_AIRFLOW}`,
      'value',
    );
  } else if (version && isNewerPatch(version, NEWEST_KNOWN_AIRFLOW)) {
    report(
      'warning',
      'AFC2025',
      ['airflow', 'version'],
      `afc knows Airflow up to ${NEWEST_KNOWN_AIRFLOW}; ${version.raw} is a newer patch: an option it adds is unknown to afc`,
      `afc checks airflow.config against ${NEWEST_KNOWN_AIRFLOW}'s options and reports one it does not know as a warning; or use ${NEWEST_KNOWN_AIRFLOW}`,
      'value',
    );
  }
};

/** An official image tagged for another release than `version` gets config for the wrong Airflow. */
export const imageTagMatchesVersion: Rule = ({ spec, report }) => {
  const image = spec.airflow.image;
  if (!image?.tag || (image.repository ?? 'apache/airflow') !== 'apache/airflow') return;
  const tagVersion = /^(\d+\.\d+\.\d+)/.exec(image.tag)?.[1];
  if (tagVersion && tagVersion !== spec.airflow.version) {
    report(
      'warning',
      'AFC2019',
      ['airflow', 'image', 'tag'],
      `image tag "${image.tag}" is Airflow ${tagVersion}, but airflow.version is ${spec.airflow.version}`,
      `make them agree: afc derives commands and configuration from airflow.version`,
      'value',
    );
  }
};
