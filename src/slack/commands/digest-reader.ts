// The reader of `digest <HH:MM> [time zone] | off`. Pure, like the rest of the grammar (grammar.ts), which lists it
// in its table.
import { canonicalTimeZone, DEFAULT_DIGEST_TIME_ZONE, parseTimeOfDay } from "../../digest/digest-time.js";
import { type Read, type ReadContext, refuse, shorten } from "./arguments.js";

export type DigestCommand =
  | { kind: "digest"; action: "set"; timeOfDay: string; timeZone: string }
  | { kind: "digest"; action: "off" }
  | { kind: "digest"; action: "show" };

export function readDigest(args: readonly string[], { usage }: ReadContext): Read<DigestCommand> {
  const [first, zone, ...rest] = args;
  if (first === undefined) return { ok: true, value: { kind: "digest", action: "show" } };
  if (first.toLowerCase() === "off") {
    if (args.length > 1) return refuse("digest off takes nothing more.", usage);
    return { ok: true, value: { kind: "digest", action: "off" } };
  }
  const timeOfDay = parseTimeOfDay(first);
  if (timeOfDay === null)
    return refuse(`"${shorten(first)}" is not a time: write it as HH:MM, e.g. 09:00.`, usage);
  if (rest.length > 0) return refuse("digest takes a time and at most one time zone.", usage);
  const timeZone = zone === undefined ? DEFAULT_DIGEST_TIME_ZONE : canonicalTimeZone(zone);
  if (timeZone === null) {
    return refuse(
      `"${shorten(zone ?? "")}" is not a time zone I know: use UTC or a name such as Europe/Berlin.`,
      usage,
    );
  }
  return { ok: true, value: { kind: "digest", action: "set", timeOfDay, timeZone } };
}
