export * from './contracts';
export { generateWriteKey, sameDigest, writeKeyDigest } from './write-keys';
