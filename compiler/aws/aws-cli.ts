/**
 * The AWS CLI image that sidecars and host scripts run (Ubuntu and the Airflow image do not ship the CLI): AWS's
 * own repository on ECR Public, the same builds as Docker Hub's amazon/aws-cli without Docker Hub's anonymous pull
 * limit (docs/airflow-facts.md §9).
 */
export const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.22.35';
