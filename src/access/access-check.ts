// Decides, on the server and from the signed request alone, whether a person in a channel may see a customer's
// jobs or repeat them. Used at every entry point: commands, every button, watches and their alerts.
import type { Logger } from "pino";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { AccessPolicy } from "./policy.js";

export type Decision = { ok: true } | { ok: false; reason: string };

/** Who asks, and where, as the signed payload says. */
export interface Requester {
  channel: string;
  userId: string;
  /** the user's own team (block_actions user.team_id); looked up when the payload has none */
  userTeamId?: string | undefined;
}

/** What the checker needs to ask Slack; answers are cached by the implementation. */
export interface SlackDirectory {
  /** true for Slack Connect (externally shared) channels; throws when Slack cannot tell */
  isSharedChannel(channel: string): Promise<boolean>;
  userTeam(userId: string): Promise<string | undefined>;
  groupMembers(groupId: string): Promise<ReadonlySet<string>>;
}

export interface AccessChecker {
  /** the customer text an alias stands for, or the text unchanged */
  resolveAlias(text: string): string;
  canView(who: Requester, customer: CustomerRef): Promise<Decision>;
  canRepeat(who: Requester, customer: CustomerRef): Promise<Decision>;
  /** for commands that involve no customer (history): only the organisation and channel rules */
  canUseChannel(who: Requester): Promise<Decision>;
  /** whether the policy lets the channel see the customer: the customer rule of canView alone, without I/O */
  maySee(channel: string, customer: CustomerRef): boolean;
  /** whether the policy lets the channel see any customer at all (a channel it does not list sees none) */
  seesAnyCustomer(channel: string): boolean;
}

export function createAccessChecker(options: {
  policy: AccessPolicy | null;
  /** the team the app is installed in (auth.test); known once the app has started */
  installingTeamId: () => string | undefined;
  directory: SlackDirectory;
  logger: Logger;
}): AccessChecker {
  const { policy, installingTeamId, directory, logger } = options;
  const aliases = new Map(
    Object.entries(policy?.aliases ?? {}).map(([name, customer]) => [name.toLowerCase(), customer]),
  );

  function deny(who: Requester, reason: string, what: string): Decision {
    logger.warn({ user: who.userId, channel: who.channel, what, reason }, "access denied");
    return { ok: false, reason };
  }

  async function organisationAndChannel(who: Requester, what: string): Promise<Decision> {
    const rules = policy?.channels[who.channel];
    const home = installingTeamId();
    if (home === undefined) return deny(who, "I am still starting; try again in a moment.", what);
    let team: string | undefined;
    try {
      team = who.userTeamId ?? (await directory.userTeam(who.userId));
    } catch (error) {
      logger.warn({ err: error, user: who.userId }, "could not look up the user's team");
      return deny(
        who,
        "I could not check which organisation you belong to, so I am not showing customer data.",
        what,
      );
    }
    // Slack Connect: people of another organisation are let in only where the policy names their team.
    if (team !== home && !(team !== undefined && rules?.allow_teams.includes(team))) {
      return deny(who, "People from other organisations cannot use this bot here.", what);
    }
    let shared: boolean;
    try {
      shared = await directory.isSharedChannel(who.channel);
    } catch (error) {
      logger.warn({ err: error, channel: who.channel }, "could not tell whether the channel is shared");
      return deny(
        who,
        "I could not check this channel's sharing settings, so I am not showing customer data here. If this is a private channel, invite me with /invite @workato-jobs.",
        what,
      );
    }
    if (shared && !rules?.allow_shared_channel) {
      return deny(
        who,
        "This channel is shared with another organisation (Slack Connect); customer jobs are not shown here.",
        what,
      );
    }
    return { ok: true };
  }

  function seesCustomer(channel: string, customer: CustomerRef): boolean {
    if (!policy) return true;
    const rules = policy.channels[channel];
    if (!rules) return false;
    return rules.customers.some(
      (allowed) => allowed === "*" || (aliases.get(allowed.toLowerCase()) ?? allowed) === customer.display,
    );
  }

  async function isRepeater(who: Requester): Promise<boolean> {
    if (!policy) return true;
    const principals = [...policy.repeaters, ...(policy.channels[who.channel]?.repeaters ?? [])];
    if (principals.includes(who.userId)) return true;
    for (const principal of principals.filter((id) => id.startsWith("S"))) {
      try {
        if ((await directory.groupMembers(principal)).has(who.userId)) return true;
      } catch (error) {
        logger.warn({ err: error, group: principal }, "could not read a user group's members");
      }
    }
    return false;
  }

  const canView = async (who: Requester, customer: CustomerRef): Promise<Decision> => {
    const base = await organisationAndChannel(who, `view ${customer.display}`);
    if (!base.ok) return base;
    if (!seesCustomer(who.channel, customer)) {
      return deny(
        who,
        `This channel is not allowed to see customer ${customer.display}.`,
        `view ${customer.display}`,
      );
    }
    return { ok: true };
  };

  return {
    resolveAlias(text) {
      return aliases.get(text.toLowerCase()) ?? text;
    },
    canView,
    async canRepeat(who, customer) {
      const view = await canView(who, customer);
      if (!view.ok) return view;
      if (!(await isRepeater(who))) {
        return deny(who, "You are not allowed to repeat jobs in this channel.", `repeat ${customer.display}`);
      }
      return { ok: true };
    },
    canUseChannel(who) {
      return organisationAndChannel(who, "use channel");
    },
    maySee: seesCustomer,
    seesAnyCustomer(channel) {
      return !policy || (policy.channels[channel]?.customers.length ?? 0) > 0;
    },
  };
}
