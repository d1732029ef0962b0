import type { Rule } from '../rule-context.ts';
import { airflowVersionInRange, imageTagMatchesVersion } from './airflow-version.ts';
import { autoscalingBounds, dagProcessorOnAirflow3, memoryHoldsTaskSlots, replicatedWebNeedsAdminUser, uniqueQueues } from './components.ts';
import { configTables } from '../../airflow/config-options.ts';
import { managedSettings, noCollidingNames, remoteLogConnectionExists } from './config.ts';
import { configOptionsKnown } from './config-options.ts';
import { brokerMatchesExecutor, celeryComponentsNeedCelery } from './executor.ts';
import { patchOperationsComplete } from './overrides.ts';
import { derivedNamesFit } from './resource-names.ts';
import { airflowKeysPresent, gitCredentials, plaintextSecretsWarned, secretFilesExist } from './secrets.ts';

/** The rules that run after the schema, in reporting order. */
export const SPEC_RULES: readonly Rule[] = [
  airflowVersionInRange,
  imageTagMatchesVersion,
  brokerMatchesExecutor,
  celeryComponentsNeedCelery,
  airflowKeysPresent,
  plaintextSecretsWarned,
  secretFilesExist,
  gitCredentials,
  uniqueQueues,
  autoscalingBounds,
  dagProcessorOnAirflow3,
  replicatedWebNeedsAdminUser,
  memoryHoldsTaskSlots,
  managedSettings,
  noCollidingNames,
  configOptionsKnown(configTables),
  remoteLogConnectionExists,
  patchOperationsComplete,
  derivedNamesFit,
];
