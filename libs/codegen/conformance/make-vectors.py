"""Writes vectors.json: run `python3 make-vectors.py` after changing a case. Each case is the
minimal valid object plus one property (or with one removed), as raw JSON text, so that every
language parses it with its own JSON decoder."""
import json

BASE = '"s_plain": "x", "c_session": "s-1"'
cases = []

def case(name, extra, error=None, raw=None):
    body = raw if raw is not None else ('{' + BASE + (', ' + extra if extra else '') + '}')
    entry = {"name": name, "data_json": body, "valid": error is None}
    if error:
        entry["errors"] = [{"field": error[0], "rule": error[1]}]
    cases.append(entry)

def prop(name, value_json, error=None, field=None):
    case(name, f'"{field}": {value_json}', error and (field, error))

case("minimal valid object", "")
case("missing required event field", None, ("s_plain", "required"), raw='{"c_session": "s-1"}')
case("missing required common field", None, ("c_session", "required"), raw='{"s_plain": "x"}')
case("unknown property", '"extra": 1', ("extra", "additionalProperties"))
case("null for an optional field", '"s_pattern": null', ("s_pattern", "type"))
case("null for a required field", None, ("s_plain", "type"), raw='{"s_plain": null, "c_session": "s-1"}')
case("empty string is a string", None, None, raw='{"s_plain": "", "c_session": "s-1"}')
case("number for a string", None, ("s_plain", "type"), raw='{"s_plain": 5, "c_session": "s-1"}')

F = lambda field: (lambda name, value, error=None: prop(name, value, error, field))
e = F("s_enum")
e("enum value", '"alpha"'); e("enum value with non-ASCII", '"ünï"'); e("enum case differs", '"Alpha"', "enum"); e("enum empty string", '""', "enum")
p = F("s_pattern")
p("pattern match", '"abc-12"'); p("pattern mismatch", '"abc-1"', "pattern"); p("pattern trailing newline", '"abc-12\\n"', "pattern")
u = F("s_unicode_pattern")
u("unicode pattern match", '"àéÿ"'); u("unicode pattern mismatch", '"abc"', "pattern"); u("unicode pattern escaped", '"\\u00e0\\u00ff"')
d = F("s_dot_pattern")
d("dot matches a letter", '"abc"'); d("dot matches an astral character", '"a😀c"'); d("dot does not match a newline", '"a\\nc"', "pattern")
d("dot does not match a carriage return", '"a\\rc"', "pattern"); d("dot does not match U+2028", '"a\\u2028c"', "pattern")
d("dot matches one code point only", '"a😀😀c"', "pattern")
sp = F("s_search_pattern")
sp("pattern is a search, not a full match", '"abc1def"'); sp("search pattern mismatch", '"abcdef"', "pattern")
l = F("s_length")
l("length at minimum", '"ab"'); l("length below minimum", '"a"', "minLength"); l("length at maximum", '"abcd"'); l("length above maximum", '"abcde"', "maxLength")
l("four astral characters are four code points", '"😀😀😀😀"'); l("five astral characters are too long", '"😀😀😀😀😀"', "maxLength")
l("accented letters are one code point each", '"éèêë"'); l("empty string below minimum", '""', "minLength")
dt = F("s_date_time")
dt("date-time UTC", '"2026-11-23T10:00:00Z"'); dt("date-time with offset", '"2026-11-23T10:00:00+05:30"'); dt("date-time lower-case t and z", '"2026-11-23t10:00:00z"')
dt("date-time with fraction", '"2026-11-23T10:00:00.123456Z"'); dt("date-time without offset", '"2026-11-23T10:00:00"', "format")
dt("date-time leap second at 23:59:60Z", '"2016-12-31T23:59:60Z"'); dt("date-time leap second in another zone", '"2017-01-01T00:59:60+01:00"')
dt("date-time leap second not at the end of a UTC day", '"2016-12-31T23:59:60+01:00"', "format"); dt("date-time hour 24", '"2026-11-23T24:00:00Z"', "format")
dt("date-time February 30", '"2026-02-30T10:00:00Z"', "format"); dt("date-time with space", '"2026-11-23 10:00:00Z"', "format")
dt("date-time offset minutes 60", '"2026-11-23T10:00:00+01:60"', "format")
da = F("s_date")
da("date", '"2026-11-23"'); da("date Feb 29 in a leap year", '"2024-02-29"'); da("date Feb 29 in a common year", '"2026-02-29"', "format")
da("date Feb 29 in 1900", '"1900-02-29"', "format"); da("date Feb 29 in 2000", '"2000-02-29"'); da("date month 13", '"2026-13-01"', "format"); da("date with time", '"2026-11-23T00:00:00Z"', "format")
ur = F("s_uri")
ur("absolute URI", '"https://example.com/a?b=c#d"'); ur("URN", '"urn:isbn:0451450523"'); ur("relative reference", '"/items/1"', "format")
ur("URI with a space", '"https://example.com/a b"', "format"); ur("URI with bad percent-encoding", '"https://example.com/%zz"', "format"); ur("URI with IPv6 host", '"http://[::1]:8080/"')
em = F("s_email")
em("email", '"a.b+c@example.com"'); em("email without domain", '"a@"', "format"); em("email without at", '"example.com"', "format"); em("email with two ats", '"a@b@c.com"', "format")
uu = F("s_uuid")
uu("uuid", '"01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3d"'); uu("uuid upper-case", '"01936D6C-2A4E-7CC1-9D4C-6A1F1C1B2A3D"'); uu("uuid without dashes", '"01936d6c2a4e7cc19d4c6a1f1c1b2a3d"', "format")
ir = F("i_range")
ir("integer at minimum", '-10'); ir("integer at maximum", '10'); ir("integer below minimum", '-11', "minimum"); ir("integer above maximum", '11', "maximum")
ir("1.0 is an integer", '1.0'); ir("1.5 is not an integer", '1.5', "type"); ir("integer as string", '"1"', "type"); ir("integer with exponent", '1e1'); ir("negative zero", '-0')
ie = F("i_exclusive")
ie("exclusive minimum excluded", '0', "exclusiveMinimum"); ie("exclusive maximum excluded", '100', "exclusiveMaximum"); ie("inside exclusive bounds", '1')
ia = F("i_any")
ia("large integer 2^53", '9007199254740992'); ia("large integer 2^63-1", '9223372036854775807'); ia("large integer with exponent", '1e20'); ia("boolean is not an integer", 'true', "type")
nr = F("n_range")
nr("number at minimum", '0.5'); nr("number at maximum", '99.5'); nr("number below minimum", '0.49', "minimum"); nr("number above maximum", '99.51', "maximum"); nr("integer is a number", '7')
ne = F("n_exclusive")
ne("number inside exclusive bounds", '0.5'); ne("number at exclusive minimum", '0', "exclusiveMinimum"); ne("number at exclusive maximum", '1', "exclusiveMaximum"); ne("tiny positive number", '1e-300')
b = F("b_flag")
b("boolean true", 'true'); b("boolean false", 'false'); b("number for boolean", '1', "type"); b("string for boolean", '"true"', "type")
at = F("a_tags")
at("array of strings", '["a", "b"]'); at("empty array below minItems", '[]', "minItems"); at("array above maxItems", '["a", "b", "c", "d"]', "maxItems")
at("array with duplicate items", '["a", "a"]', "uniqueItems"); at("array item too long", '["abcdef"]', "maxLength"); at("array item of wrong type", '[1]', "type")
at("array item astral length", '["😀😀😀😀😀😀"]', "maxLength"); at("array item of five astral characters", '["😀😀😀😀😀"]'); at("string for array", '"a"', "type"); at("null item", '[null]', "type")
ai = F("a_ints")
ai("empty array allowed", '[]'); ai("array of integers", '[0, 1, 2.0]'); ai("array item below minimum", '[-1]', "minimum"); ai("array item not an integer", '[1.5]', "type")
an = F("a_any")
an("array of numbers", '[1, 2.5, -3e10]'); an("array of numbers with a string", '[1, "2"]', "type")
case("nested object for a string", '"s_length": {"a": 1}', ("s_length", "type"))
case("array for an integer", '"i_any": [1]', ("i_any", "type"))

import os
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), "w", encoding="utf-8") as out:
    json.dump({
        "description": "Test vectors for conformance_event of conformance-env (catalog.yaml). Each data_json is parsed by the language's own JSON decoder; errors list the field and the JSON Schema keyword that fails.",
        "environment": "conformance-env",
        "event": "conformance_event",
        "cases": cases,
    }, out, ensure_ascii=False, indent=2)
    out.write("\n")
print(len(cases), "cases")
