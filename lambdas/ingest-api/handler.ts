/**
 * Lambda entry point of ingest-api (API Gateway HTTP API, payload 2.0, AWS_IAM route).
 *
 * Environment: COOP_ID, RAW_BUCKET, DATASETS (comma-separated), MAX_BODY_BYTES,
 * ALLOWED_PRINCIPAL_ARNS (comma-separated IAM role ARNs). Set-up runs once per container and
 * fails the cold start on missing or malformed configuration.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { Logger, requireEnv } from '../adapters/log';
import { S3ObjectStore } from '../adapters/s3';
import { configFromEnv, createIngestApiHandler } from './app';

const config = configFromEnv(process.env, (name) => requireEnv(name));
const customEndpoint = process.env.AWS_ENDPOINT_URL_S3 !== undefined || process.env.AWS_ENDPOINT_URL !== undefined;
// S3-compatible stores generally need path-style addressing and predate aws-chunked checksum trailers.
const S3_COMPATIBLE = { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;

/** The Lambda handler. */
export const handler = createIngestApiHandler(config, new S3ObjectStore(new S3Client(customEndpoint ? S3_COMPATIBLE : {})), new Logger('ingest-api'));
