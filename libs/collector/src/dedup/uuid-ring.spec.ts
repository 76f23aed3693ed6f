import { randomUUID } from 'node:crypto';
import { isUuid, UuidRing, uuidWords } from './uuid-ring';

function words(id: string): Uint32Array {
  const out = new Uint32Array(4);
  if (!uuidWords(id, out)) throw new Error(`not a UUID: ${id}`);
  return out;
}

describe('uuidWords', () => {
  it('reads the 128 bits of a UUID in any case', () => {
    expect([...words('01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3d')]).toEqual([0x01936d6c, 0x2a4e7cc1, 0x9d4c6a1f, 0x1c1b2a3d]);
    expect([...words('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF')]).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    const batch = new Uint32Array(8);
    expect(uuidWords('01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3d', batch, 4)).toBe(true);
    expect([...batch]).toEqual([0, 0, 0, 0, 0x01936d6c, 0x2a4e7cc1, 0x9d4c6a1f, 0x1c1b2a3d]);
  });

  it.each(['', 'abc', '01936d6c2a4e7cc19d4c6a1f1c1b2a3d', '01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3g', '01936d6c-2a4e-7cc1-9d4c_6a1f1c1b2a3d', '01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3dd', '01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3é'])(
    'refuses %j',
    (text) => {
      expect(isUuid(text)).toBe(false);
    },
  );
});

describe('UuidRing', () => {
  it('behaves as a first-in-first-out set, through growth, eviction and deletions that shift probes back', () => {
    // A small table with many collisions exercises the backward-shift deletion; checked
    // against a plain Map doing the same thing.
    const capacity = 300;
    const ring = new UuidRing(capacity, 4);
    const reference = new Map<string, number>();
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    let time = 0;
    for (const id of ids) {
      time++;
      ring.add(words(id), 0, time);
      reference.set(id, time);
      if (reference.size > capacity) reference.delete(reference.keys().next().value as string);
      if (time % 7 === 0) {
        ring.removeOldest();
        reference.delete(reference.keys().next().value as string);
      }
      if (time % 97 === 0) {
        for (const known of ids.slice(0, time)) {
          const index = ring.lookup(words(known), 0);
          expect(index === -1 ? undefined : ring.timeAt(index)).toBe(reference.get(known));
        }
      }
    }
    expect(ring.length).toBe(reference.size);
    expect(ring.oldestTime()).toBe(reference.values().next().value);
  });

});

describe('UuidRing times', () => {
  it('gives an id added again its newer time', () => {
    const ring = new UuidRing(10);
    const id = words(randomUUID());
    ring.add(id, 0, 1);
    ring.add(id, 0, 5);
    ring.add(id, 0, 3);
    expect(ring.length).toBe(1);
    expect(ring.timeAt(ring.lookup(id, 0))).toBe(5);
  });
});
