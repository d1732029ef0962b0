/**
 * Docker Official Images that targets run beside Airflow, pulled from their
 * mirror on ECR Public (`public.ecr.aws/docker/library/<name>`): the same
 * images and tags as Docker Hub's `library/<name>`, without Docker Hub's
 * anonymous pull limit, which nodes and hosts pulling without a login hit
 * first. Source: Amazon ECR Public Gallery, "Docker Official Images"
 * (gallery.ecr.aws/docker); docs/airflow-facts.md §9.
 */
const DOCKER_LIBRARY = 'public.ecr.aws/docker/library';

/** The official `postgres` image of `version` as the spec writes it ("16", "17.2"). */
export function postgresImage(version: string): string {
  return `${DOCKER_LIBRARY}/postgres:${version}`;
}

/** Redis for a Celery broker: 7.2, the last BSD-licensed line, as the official docker-compose file pins it. */
export const REDIS_IMAGE = `${DOCKER_LIBRARY}/redis:7.2-bookworm`;
