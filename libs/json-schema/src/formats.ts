/**
 * The string formats of DESIGN §1, defined once. The regular expressions are kept
 * portable (see libs/catalog pattern rules) so that every langpack can carry the same
 * ones; the calendar and leap-second checks that a regex cannot express are small
 * functions each language repeats.
 */

export const DATE_PATTERN = '^([0-9]{4})-([0-9]{2})-([0-9]{2})$';
export const DATE_TIME_PATTERN =
  '^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$';
export const UUID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';
const URI_CHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=:@/?\\[\\]-]|%[0-9A-Fa-f]{2})";
export const URI_PATTERN = `^[A-Za-z][A-Za-z0-9+.-]*:${URI_CHAR}*(?:#${URI_CHAR}*)?$`;
const DOMAIN_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
export const EMAIL_PATTERN = `^[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]+@${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*$`;

const dateRegex = new RegExp(DATE_PATTERN);
const dateTimeRegex = new RegExp(DATE_TIME_PATTERN);
const uuidRegex = new RegExp(UUID_PATTERN);
const uriRegex = new RegExp(URI_PATTERN);
const emailRegex = new RegExp(EMAIL_PATTERN);

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= (days[month - 1] as number);
}

/** RFC 3339 full-date: a real calendar day. */
export function isDate(value: string): boolean {
  const match = dateRegex.exec(value);
  return match !== null && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * RFC 3339 date-time with a mandatory offset. A leap second (:60) is accepted only where
 * one can occur: at 23:59:60 in UTC once the offset is taken off.
 */
export function isDateTime(value: string): boolean {
  const match = dateTimeRegex.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!isCalendarDay(year, month, day) || hour > 23 || minute > 59 || second > 60) return false;
  const offsetHours = match[8] === undefined ? 0 : Number(match[8]);
  const offsetMinutes = match[9] === undefined ? 0 : Number(match[9]);
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (second < 60) return true;
  const sign = match[7] === '-' ? -1 : 1;
  const utcMinutes = (((hour * 60 + minute - sign * (offsetHours * 60 + offsetMinutes)) % 1440) + 1440) % 1440;
  return utcMinutes === 23 * 60 + 59;
}

export function isUri(value: string): boolean {
  return uriRegex.test(value);
}

export function isUuid(value: string): boolean {
  return uuidRegex.test(value);
}

export function isEmail(value: string): boolean {
  return emailRegex.test(value);
}

export const FORMAT_CHECKS: Record<'date' | 'date-time' | 'uri' | 'uuid' | 'email', (value: string) => boolean> = {
  date: isDate,
  'date-time': isDateTime,
  uri: isUri,
  uuid: isUuid,
  email: isEmail,
};
