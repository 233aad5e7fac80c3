// Answers the access checker's questions from Slack's Web API, cached for a few minutes: is a channel shared
// (conversations.info), which team a user belongs to (users.info), who is in a user group (usergroups.users.list);
// and a user's time zone (users.info tz) for times people type without one.
import type { WebClient } from "@slack/web-api";
import type { SlackDirectory } from "../../access/access-check.js";
import type { Clock } from "../../clock.js";

const TTL_MS = 5 * 60_000;

export interface SlackPeople extends SlackDirectory {
  /** the IANA zone of the person's Slack profile; null when Slack gives none */
  userTimeZone(userId: string): Promise<string | null>;
}

export function createSlackDirectory(client: WebClient, clock: Clock): SlackPeople {
  const cache = new Map<string, { value: Promise<unknown>; expiresAt: number }>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && hit.expiresAt > clock.now()) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { value, expiresAt: clock.now() + TTL_MS });
    // A failed lookup is asked again next time rather than remembered.
    value.catch(() => cache.delete(key));
    return value;
  }

  // One users.info answer serves both the team and the time zone.
  const userInfo = (userId: string) =>
    cached(`user:${userId}`, async () => (await client.users.info({ user: userId })).user);

  return {
    isSharedChannel(channel) {
      return cached(`channel:${channel}`, async () => {
        const answer = await client.conversations.info({ channel });
        return Boolean(answer.channel?.is_ext_shared || answer.channel?.is_pending_ext_shared);
      });
    },
    async userTeam(userId) {
      return (await userInfo(userId))?.team_id;
    },
    async userTimeZone(userId) {
      const zone = (await userInfo(userId))?.tz;
      return typeof zone === "string" && zone !== "" ? zone : null;
    },
    groupMembers(groupId) {
      return cached(`group:${groupId}`, async () => {
        const answer = await client.usergroups.users.list({ usergroup: groupId });
        return new Set(answer.users ?? []);
      });
    },
  };
}
