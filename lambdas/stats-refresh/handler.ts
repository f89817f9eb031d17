/**
 * Lambda entry point of stats-refresh: invoked by one EventBridge Scheduler schedule per
 * statistics table of the cooperative. Set-up runs once per container and fails the cold
 * start on missing configuration.
 *
 * Environment: SHARED_DATABASE, DATA_LAKE_CATALOG, STATS_WORKGROUP.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { LAMBDA_ENV } from '../../infra/shared-names';
import { AthenaQueryEngine } from '../adapters/athena';
import { GlueAggregateCatalog } from '../adapters/glue-aggregates';
import { Logger, requireEnv } from '../adapters/log';
import { S3RunStorage } from '../adapters/s3-runs';
import { createStatsRefreshHandler } from './app';

/** The Lambda handler. */
export const handler = createStatsRefreshHandler(
  {
    catalog: new GlueAggregateCatalog(new GlueClient({}), requireEnv(LAMBDA_ENV.dataLakeCatalog)),
    engine: new AthenaQueryEngine(new AthenaClient({})),
    storage: new S3RunStorage(new S3Client({})),
    database: requireEnv(LAMBDA_ENV.sharedDatabase),
    workgroup: requireEnv(LAMBDA_ENV.statsWorkgroup),
  },
  new Logger('stats-refresh'),
);
