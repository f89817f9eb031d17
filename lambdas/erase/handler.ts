/**
 * Lambda entry point of erase: triggered by erasure requests placed under
 * `_erasure/requests/` of a cooperative's curated bucket (PIPA art. 36). Set-up runs once
 * per container and fails the cold start on missing configuration.
 *
 * Environment: COOP_ID, GLUE_DATABASE, CURATED_BUCKET, SHARED_BUCKET,
 * PSEUDONYMIZATION_KEY_ARN, AGGREGATE_TABLES (JSON). With AWS_ENDPOINT_URL(_S3) set,
 * requests use path-style addressing.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GlueCatalog } from '../adapters/glue';
import { KmsPseudonymizer } from '../adapters/kms';
import { LAMBDA_ENV } from '../../infra/shared-names';
import { Logger, requireEnv } from '../adapters/log';
import { S3ObjectStore } from '../adapters/s3';
import { createEraseHandler } from './app';

const targets = {
  cooperative: requireEnv(LAMBDA_ENV.cooperative),
  database: requireEnv(LAMBDA_ENV.glueDatabase),
  curatedBucket: requireEnv(LAMBDA_ENV.curatedBucket),
  sharedBucket: requireEnv(LAMBDA_ENV.sharedBucket),
  aggregateTables: JSON.parse(process.env[LAMBDA_ENV.aggregateTables] ?? '[]') as { table: string; dataset: string }[],
};
const keyArn = requireEnv(LAMBDA_ENV.pseudonymizationKeyArn);
const customEndpoint = process.env.AWS_ENDPOINT_URL_S3 !== undefined || process.env.AWS_ENDPOINT_URL !== undefined;
const S3_COMPATIBLE = { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;

/** The Lambda handler. */
export const handler = createEraseHandler(
  {
    store: new S3ObjectStore(new S3Client(customEndpoint ? S3_COMPATIBLE : {})),
    catalog: new GlueCatalog(new GlueClient({})),
    pseudonymizer: new KmsPseudonymizer(new KMSClient({}), keyArn),
    targets,
  },
  new Logger('erase'),
);
