// Who and where in the fake workspace: channel names, privacy and bot membership; users' names and teams.

export interface FakeChannel {
  id: string;
  name: string;
  /** Whether the bot is a member; Slack refuses chat.* from non-members with not_in_channel. */
  isMember: boolean;
  isPrivate: boolean;
  isExtShared: boolean;
}

export interface FakeUser {
  id: string;
  teamId: string;
  name: string;
  /** the IANA zone of the user's profile, as users.info reports it (tz) */
  timeZone: string;
}

export interface Workspace {
  channel(id: string): FakeChannel;
  setChannel(id: string, patch: Partial<Omit<FakeChannel, "id">>): void;
  user(id: string): FakeUser;
  setUser(id: string, patch: Partial<Omit<FakeUser, "id">>): void;
  /** members of a user group (S…); undefined for a group that does not exist */
  userGroup(id: string): string[] | undefined;
  setUserGroup(id: string, members: string[]): void;
}

/** Slack gives every user a zone; the fake's users are in UTC until a test says otherwise. */
const DEFAULT_TIME_ZONE = "UTC";

/** The user_name Slack would send when a test does not name its user. */
export function defaultUserName(userId: string): string {
  return userId.toLowerCase();
}

export function defaultChannelName(channelId: string): string {
  return `channel-${channelId.toLowerCase()}`;
}

/** The patch's defined values only, so `{ name: undefined }` leaves the name alone. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// Every channel exists and has the bot as a member until a test says otherwise, so most tests set nothing up.
export function createWorkspace(teamId: string): Workspace {
  const channels = new Map<string, FakeChannel>();
  const users = new Map<string, FakeUser>();
  const userGroups = new Map<string, string[]>();

  const channel = (id: string): FakeChannel =>
    channels.get(id) ?? {
      id,
      name: defaultChannelName(id),
      isMember: true,
      isPrivate: false,
      isExtShared: false,
    };
  const user = (id: string): FakeUser =>
    users.get(id) ?? { id, teamId, name: defaultUserName(id), timeZone: DEFAULT_TIME_ZONE };

  return {
    channel: (id) => ({ ...channel(id) }),
    setChannel(id, patch) {
      channels.set(id, { ...channel(id), ...definedOnly(patch), id });
    },
    user: (id) => ({ ...user(id) }),
    userGroup: (id) => (userGroups.has(id) ? [...(userGroups.get(id) ?? [])] : undefined),
    setUserGroup(id, members) {
      userGroups.set(id, [...members]);
    },
    setUser(id, patch) {
      users.set(id, { ...user(id), ...definedOnly(patch), id });
    },
  };
}
