import { createHash } from 'node:crypto';
import type { BadRow, EnrichedRecord } from '@tagplan/collector';

/**
 * Where each record goes on NATS (DESIGN §4) and the id JetStream de-duplicates it by.
 *
 *   <prefix>.<environment>.<event_name>.v<event_version>   an enriched record
 *   <prefix>.bad.<environment>                             a bad row
 *
 * A record subject has four tokens and a bad-row subject three, so an environment named
 * "bad" cannot be mistaken for the bad-rows stream by a consumer filtering `tagplan.bad.*`.
 */

/** A subject token may not be empty nor hold '.', '*', '>' or whitespace (they would change the subject's meaning). */
const TOKEN = /^[^\s.*>]+$/;

export function isSubjectToken(token: string): boolean {
  return TOKEN.test(token);
}

/** A prefix is one or more tokens joined by dots, e.g. "tagplan" or "acme.tagplan". */
export function assertSubjectPrefix(prefix: string): void {
  if (!prefix.split('.').every(isSubjectToken)) {
    throw new Error(`invalid NATS subject prefix "${prefix}": dot-separated tokens without spaces, "*" or ">"`);
  }
}

export function recordSubject(prefix: string, record: EnrichedRecord): string {
  const { environment, event_name: eventName, event_version: eventVersion } = record;
  if (!isSubjectToken(environment) || !isSubjectToken(eventName) || !Number.isSafeInteger(eventVersion)) {
    throw new Error(
      `record ${record.event_id} cannot be routed to a NATS subject: environment "${environment}", event "${eventName}", version ${String(eventVersion)}`,
    );
  }
  return `${prefix}.${environment}.${eventName}.v${eventVersion}`;
}

/** recordSubject for the records of one batch, which mostly share an environment and a few events: checked and built once per run of equal ones. */
export class RecordSubjects {
  private environment: string | undefined;
  private eventName: string | undefined;
  private eventVersion: number | undefined;
  private subject = '';

  constructor(private readonly prefix: string) {}

  of(record: EnrichedRecord): string {
    if (record.environment !== this.environment || record.event_name !== this.eventName || record.event_version !== this.eventVersion) {
      this.subject = recordSubject(this.prefix, record);
      this.environment = record.environment;
      this.eventName = record.event_name;
      this.eventVersion = record.event_version;
    }
    return this.subject;
  }
}

export function badRowSubject(prefix: string, row: BadRow): string {
  if (!isSubjectToken(row.environment)) {
    throw new Error(`bad row cannot be routed to a NATS subject: environment "${row.environment}"`);
  }
  return `${prefix}.bad.${row.environment}`;
}

/** What fits in a Nats-Msg-Id header as it is (printable ASCII, no space): the UUIDs the langpacks send do. */
const PRINTABLE = /^[\x21-\x7e]+$/;
const MAX_PLAIN_ID_LENGTH = 128;

function isPlainId(id: string): boolean {
  return id.length <= MAX_PLAIN_ID_LENGTH && PRINTABLE.test(id);
}

/** The record's event_id: a resent batch is stored once within the stream's duplicate window. */
export function recordMessageId(record: EnrichedRecord): string {
  return isPlainId(record.event_id) ? record.event_id : `sha256:${sha256(record.event_id)}`;
}

/**
 * Bad rows get ids of their own ("bad:…"), so that a bad row never shadows a good record
 * with the same event_id: an event refused under one catalog and resent after the catalog
 * learnt it must still be stored. The id hashes the environment and the raw event, so a
 * resent request gives the same ids (stored once) while two different events that share
 * an event_id are both kept. Rows without an event_id cannot be told apart from an
 * identical event sent again, so identical ones within one batch are numbered (all kept)
 * and an identical one in a later request within the window is taken as a resend.
 */
export function badRowMessageIds(rows: readonly BadRow[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const digest = sha256(`${row.environment}\n${row.event_id ?? ''}\n${rawText(row.raw)}`).slice(0, 32);
    const base = `bad:${row.event_id !== null && isPlainId(row.event_id) ? row.event_id : '-'}:${digest}`;
    if (row.event_id !== null) return base;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return occurrence === 0 ? base : `${base}:${occurrence}`;
  });
}

function rawText(raw: unknown): string {
  // Parsed JSON serialises back deterministically (keys in the order they arrived), so a
  // resent body gives the same text. `undefined` cannot come from JSON but is handled.
  return JSON.stringify(raw) ?? 'undefined';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
