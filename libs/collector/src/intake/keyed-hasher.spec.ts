import { createHmac } from 'node:crypto';
import { KeyedHasher } from './keyed-hasher';

describe('KeyedHasher', () => {
  const secret = 'a-secret-of-some-length';
  const hmac = (value: string) => createHmac('sha256', secret).update(value, 'utf8').digest('hex');

  it('is HMAC-SHA256 in hex, and the same from its cache', () => {
    const hasher = new KeyedHasher(secret, 2);
    expect(hasher.hash('u-42')).toBe(hmac('u-42'));
    expect(hasher.hash('u-42')).toBe(hmac('u-42'));
    // Past the cache's size it refills; results never change.
    for (const value of ['a', 'b', 'c', 'u-42', 'ünïcödé']) expect(hasher.hash(value)).toBe(hmac(value));
    expect(new KeyedHasher('another-secret-123').hash('u-42')).not.toBe(hmac('u-42'));
  });

  it('hashes numbers and booleans as their JSON, arrays item by item', () => {
    const hasher = new KeyedHasher(secret);
    expect(hasher.hashValue(1001)).toBe(hmac('1001'));
    expect(hasher.hashValue(true)).toBe(hmac('true'));
    expect(hasher.hashValue(['x', 2])).toEqual([hmac('x'), hmac('2')]);
  });

  it('needs a secret', () => {
    expect(() => new KeyedHasher('')).toThrow(/secret/);
  });
});
