/**
 * {@link Pseudonymizer} on AWS KMS: HMAC-SHA-256 computed inside KMS with GenerateMac, so the
 * pseudonymization key never leaves KMS (PIPA art. 28-4: additional information kept apart).
 */
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { classify } from '../domain/errors';
import type { Pseudonymizer } from '../domain/pseudonymize';

/** KMS GenerateMac accepts messages up to 4096 bytes. */
const MAX_MESSAGE_BYTES = 4096;

/** KMS-backed pseudonymizer; wrap it in a `TokenCache` to call KMS once per distinct value. */
export class KmsPseudonymizer implements Pseudonymizer {
  constructor(private readonly kms: Pick<KMSClient, 'send'>, private readonly keyId: string) {}

  async mac(value: string): Promise<string> {
    const message = Buffer.from(value, 'utf8');
    if (message.length > MAX_MESSAGE_BYTES) throw new Error(`identifier longer than ${MAX_MESSAGE_BYTES} bytes cannot be pseudonymized`);
    try {
      const r = await this.kms.send(new GenerateMacCommand({ KeyId: this.keyId, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
      if (!r.Mac) throw new Error('KMS GenerateMac returned no MAC');
      return Buffer.from(r.Mac).toString('hex');
    } catch (e) {
      return classify(e, 'pseudonymizing with KMS GenerateMac');
    }
  }
}
