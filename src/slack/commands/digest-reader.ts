// The reader of `digest <HH:MM> [time zone] | now | off`. Pure, like the rest of the grammar (grammar.ts), which lists it
// in its table.
import { canonicalTimeZone, parseTimeOfDay } from "../../digest/digest-time.js";
import { type Read, type ReadContext, refuse, shorten } from "./arguments.js";

export type DigestCommand =
  /** `timeZone` null: none was typed, the zone of the person who typed it is meant */
  | { kind: "digest"; action: "set"; timeOfDay: string; timeZone: string | null }
  | { kind: "digest"; action: "off" }
  /** today's digest, at once, to the person only */
  | { kind: "digest"; action: "now" }
  | { kind: "digest"; action: "show" };

export function readDigest(args: readonly string[], { usage }: ReadContext): Read<DigestCommand> {
  const [first, zone, ...rest] = args;
  if (first === undefined) return { ok: true, value: { kind: "digest", action: "show" } };
  const word = first.toLowerCase();
  if (word === "off" || word === "now") {
    if (args.length > 1) return refuse(`digest ${word} takes nothing more.`, usage);
    return { ok: true, value: { kind: "digest", action: word } };
  }
  const timeOfDay = parseTimeOfDay(first);
  if (timeOfDay === null)
    return refuse(`"${shorten(first)}" is not a time: write it as HH:MM, e.g. 09:00.`, usage);
  if (rest.length > 0) return refuse("digest takes a time and at most one time zone.", usage);
  if (zone === undefined)
    return { ok: true, value: { kind: "digest", action: "set", timeOfDay, timeZone: null } };
  const timeZone = canonicalTimeZone(zone);
  if (timeZone === null) {
    return refuse(
      `"${shorten(zone)}" is not a time zone I know: use UTC or a name such as Europe/Berlin.`,
      usage,
    );
  }
  return { ok: true, value: { kind: "digest", action: "set", timeOfDay, timeZone } };
}
