/**
 * `afc/target`: what a target plugin is written against. The interface a
 * plugin exports, the model it renders, and the compiler's helpers that hold
 * Airflow's knowledge (the component catalogue, the settings every Airflow
 * process reads), so that a plugin translates them into its platform's
 * shapes as the built-in targets do, instead of writing Airflow command
 * lines of its own.
 */
export type { Target, SecretMode, CheckContext, RenderContext, TargetDocument, HclFile } from '../targets/target.ts';
export type { TargetManifest, TargetSupport, TargetCode, TargetCodeInfo, NameRule, Executor, DagSource } from '../targets/manifest.ts';
export { settingsKeyOf } from '../targets/manifest.ts';
export type { DerivedName } from '../names.ts';
export { derivedName } from '../names.ts';
export type {
  Model,
  ModelData,
  EnvVar,
  DagSourceModel,
  DatabaseModel,
  BrokerModel,
  Resources,
  ComponentsModel,
  AdminUserModel,
} from '../normalize/model.ts';
export type { AirflowFacts } from '../airflow/facts.ts';
export type {
  AirflowCatalogue,
  AirflowComponent,
  AirflowSecret,
  AdminStep,
  CommandCheck,
  ConfigNeeds,
  HttpCheck,
  Role,
  Step,
  WaitStep,
} from '../airflow/components.ts';
export { airflowCatalogue, airflowCommandLine, migrationScript, needsSetting } from '../airflow/components.ts';
export type { Endpoints, Setting, SettingPart } from '../airflow/settings.ts';
export { airflowSettings, isPlain, plainValue, resolvedValue, uriComponent } from '../airflow/settings.ts';
export { shellWord } from '../emit/shell.ts';
export type { SpecPath } from '../diagnostics/problem.ts';
export type { Severity } from '../diagnostics/diagnostic.ts';
export type { SecretRef } from '../../schema/generated/types.ts';
