/** The AWS CLI image that sidecars and host scripts run (Ubuntu and the Airflow image do not ship the CLI). */
export const AWS_CLI_IMAGE = 'amazon/aws-cli:2.22.35';
