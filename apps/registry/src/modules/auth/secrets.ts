import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * How secrets are stored: API tokens are long random strings, so a SHA-256 is enough and
 * fast; passwords are chosen by people, so they get scrypt with a salt. Every comparison
 * is constant-time.
 */

export function generateToken(): string {
  return `tp_${randomBytes(32).toString('base64url')}`;
}

export function tokenDigest(token: string): { lookup: string; secretHash: string } {
  const secretHash = createHash('sha256').update(token, 'utf8').digest('hex');
  return { lookup: secretHash.slice(0, 16), secretHash };
}

export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, , , , salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
