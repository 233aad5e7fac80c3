// The shapes of Slack's ids, for everything that reads one from text: the policy file, typed mentions, stored
// mentions and user ids shown in messages. Unanchored, so a pattern can be part of a larger one.

/** a person: U… (or W… in Enterprise Grid) */
export const SLACK_USER_ID = /[UW][A-Z0-9]{2,30}/;
/** a user group: S… */
export const SLACK_USER_GROUP_ID = /S[A-Z0-9]{2,30}/;

const WHOLE_USER_ID = new RegExp(`^${SLACK_USER_ID.source}$`);
const WHOLE_USER_GROUP_ID = new RegExp(`^${SLACK_USER_GROUP_ID.source}$`);

export function isSlackUserId(text: string): boolean {
  return WHOLE_USER_ID.test(text);
}

export function isSlackUserGroupId(text: string): boolean {
  return WHOLE_USER_GROUP_ID.test(text);
}

/** Only real user and user-group mentions are ever written into a message; anything else stored is dropped. */
const MENTION = new RegExp(`^(<@${SLACK_USER_ID.source}>|<!subteam\\^${SLACK_USER_GROUP_ID.source}>)$`);

export function safeMentions(mentions: readonly string[]): string[] {
  return mentions.filter((mention) => MENTION.test(mention));
}
