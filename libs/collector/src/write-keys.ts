import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Write keys identify an environment to the collector (DESIGN §3). The registry stores
 * only their digest; the collector compares digests in constant time.
 */
export function generateWriteKey(): string {
  return `tpw_${randomBytes(32).toString('base64url')}`;
}

export function writeKeyDigest(key: string): { lookup: string; secret_hash: string } {
  const secretHash = createHash('sha256').update(key, 'utf8').digest('hex');
  return { lookup: secretHash.slice(0, 16), secret_hash: secretHash };
}

export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
