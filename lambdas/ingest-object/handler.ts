/**
 * Lambda entry point of ingest-object: triggered by objects created in a cooperative's raw
 * zone. Set-up runs once per container and fails the cold start on missing configuration.
 *
 * Environment: COOP_ID, GLUE_DATABASE, CURATED_BUCKET, QUARANTINE_BUCKET, SHARED_BUCKET,
 * SHARED_DATABASE, PSEUDONYMIZATION_KEY_ARN. With AWS_ENDPOINT_URL(_S3) set (an S3-compatible
 * store such as the IDC's), requests use path-style addressing.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GlueCatalog } from '../adapters/glue';
import { KmsPseudonymizer } from '../adapters/kms';
import { LAMBDA_ENV } from '../../infra/shared-names';
import { Logger, requireEnv } from '../adapters/log';
import { S3ObjectStore } from '../adapters/s3';
import { createIngestObjectHandler } from './app';

const env = {
  cooperative: requireEnv(LAMBDA_ENV.cooperative),
  database: requireEnv(LAMBDA_ENV.glueDatabase),
  curatedBucket: requireEnv(LAMBDA_ENV.curatedBucket),
  quarantineBucket: requireEnv(LAMBDA_ENV.quarantineBucket),
  sharedBucket: requireEnv(LAMBDA_ENV.sharedBucket),
  sharedDatabase: requireEnv(LAMBDA_ENV.sharedDatabase),
};
const keyArn = requireEnv(LAMBDA_ENV.pseudonymizationKeyArn);
const customEndpoint = process.env.AWS_ENDPOINT_URL_S3 !== undefined || process.env.AWS_ENDPOINT_URL !== undefined;
// S3-compatible stores generally need path-style addressing and predate aws-chunked checksum trailers.
const S3_COMPATIBLE = { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;

/** The Lambda handler. */
export const handler = createIngestObjectHandler(
  {
    store: new S3ObjectStore(new S3Client(customEndpoint ? S3_COMPATIBLE : {})),
    catalog: new GlueCatalog(new GlueClient({})),
    pseudonymizer: new KmsPseudonymizer(new KMSClient({}), keyArn),
    targets: env,
  },
  new Logger('ingest-object'),
);
